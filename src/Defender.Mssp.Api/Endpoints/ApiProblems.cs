using Defender.Mssp.Api.Validation;

namespace Defender.Mssp.Api.Endpoints;

/// <summary>The API's RFC 9457 problem answers, each with a title that says what happened and no echo of input.</summary>
public static class ApiProblems
{
    public static IResult Validation(FieldErrors errors, string title = "The request is not valid.") =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: title);

    /// <summary>A 400 naming one field.</summary>
    public static IResult Invalid(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Validation(errors);
    }

    /// <summary>413, with the body named as the field at fault like every other validation problem.</summary>
    public static IResult TooLarge(int maxBytes) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [$"Must be at most {maxBytes} bytes."] })
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "The request body is too large.",
        });

    public static IResult UnsupportedMediaType(params string[] expected) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported content type.",
            detail: $"Send the body as {string.Join(" or ", expected)} (UTF-8).");

    public static IResult TenantNotFound(string tenantId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Tenant not found.", detail: $"There is no tenant '{tenantId}'.");

    public static IResult TenantExists(string tenantId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Tenant exists.", detail: $"Tenant '{tenantId}' is onboarded already; change it with PATCH.");

    public static IResult PreconditionFailed(string tenantId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The tenant has changed.",
            detail: $"Tenant '{tenantId}' is no longer at the version in If-Match; read it again and re-apply the change.");

    public static IResult UpdateConflict(string tenantId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Concurrent changes.",
            detail: $"Tenant '{tenantId}' kept changing while this request tried to apply its change; try again.");

    public static IResult Paused(string tenantId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Tenant is paused.",
            detail: $"Tenant '{tenantId}' is paused; resume it to poll.");
}
