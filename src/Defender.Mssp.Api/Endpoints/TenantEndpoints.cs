using Defender.Mssp.Api.Bulk;
using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Json;
using Defender.Mssp.Api.Options;
using Defender.Mssp.Api.Security;
using Defender.Mssp.Api.Tenants;
using Defender.Mssp.Api.Validation;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Endpoints;

/// <summary>Onboarding, reading and changing tenants' desired state (<c>/tenants</c>).</summary>
public static class TenantEndpoints
{
    public const string TenantRoute = "/{tenantId}";

    public static RouteGroupBuilder MapTenantEndpoints(this RouteGroupBuilder tenants)
    {
        tenants.MapPost("/", CreateAsync)
            .WithName("CreateTenant").WithSummary("Onboard a tenant.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Accepts<TenantCreateRequest>("application/json")
            .Produces<TenantResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        tenants.MapPost("/bulk", BulkAsync)
            .WithName("CreateTenantsInBulk")
            .WithSummary("Onboard many tenants from a JSON array or CSV with a header row.")
            .WithDescription("Every row is validated first. Without atomic=true all valid rows are stored and bad ones reported by line; with it, none unless all are valid.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Accepts<List<TenantCreateRequest>>("application/json", "text/csv")
            .Produces<BulkOnboardResult>()
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        tenants.MapGet("/", ListAsync)
            .WithName("ListTenants").WithSummary("List tenants, a page at a time, optionally filtered by health, paused or source.")
            .RequireAuthorization(ApiPolicies.Read)
            .Produces<TenantPage>()
            .ProducesValidationProblem();

        tenants.MapGet(TenantRoute, GetAsync)
            .WithName("GetTenant").WithSummary("Read a tenant's desired state; the ETag header is its version for If-Match.")
            .RequireAuthorization(ApiPolicies.Read)
            .Produces<TenantResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tenants.MapPatch(TenantRoute, PatchAsync)
            .WithName("UpdateTenant").WithSummary("Change a tenant's settings; honours If-Match.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Accepts<TenantPatchRequest>("application/json", "application/merge-patch+json")
            .Produces<TenantResponse>()
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        tenants.MapPut(TenantRoute + "/credentials", RotateCredentialsAsync)
            .WithName("RotateTenantCredentials")
            .WithSummary("Replace a tenant's client secret or certificate (and optionally client id); used from the next token on.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Accepts<CredentialsRequest>("application/json")
            .Produces<TenantResponse>()
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        tenants.MapDelete(TenantRoute, DeleteAsync)
            .WithName("DeleteTenant")
            .WithSummary("Stop polling a tenant and forget it; with purge=true also delete its state and delivered data.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Produces(StatusCodes.Status204NoContent)
            .Produces<TenantDeleted>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return tenants;
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, TenantRequestValidator validator, TenantWriter writer, IOptions<RequestLimitsOptions> limits, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<TenantCreateRequest>(http.Request, limits.Value.MaxRequestBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        if (validator.ValidateCreate(request!, errors) is not { } tenant)
        {
            return ApiProblems.Validation(errors);
        }

        var stored = await writer.CreateAsync(tenant, Caller.NameOf(http.User), cancellationToken);
        SetETag(http, stored);
        return TypedResults.Created($"/tenants/{stored.Document.TenantId}", TenantResponses.From(stored.Document));
    }

    private static async Task<IResult> BulkAsync(
        HttpContext http, BulkOnboarding bulk, IOptions<RequestLimitsOptions> limits, CancellationToken cancellationToken, string? atomic = null)
    {
        if (!TryParseFlag(atomic, out var isAtomic))
        {
            return ApiProblems.Invalid("atomic", "Must be true or false.");
        }

        var contentType = http.Request.ContentType;
        var isCsv = RequestBody.IsCsv(contentType);
        if (!isCsv && !RequestBody.IsJson(contentType))
        {
            return ApiProblems.UnsupportedMediaType("application/json", "text/csv");
        }

        var maxBytes = limits.Value.MaxBulkRequestBodyBytes;
        var content = await RequestBody.ReadAsync(http.Request, maxBytes, cancellationToken);
        if (content is null)
        {
            return ApiProblems.TooLarge(maxBytes);
        }

        var body = isCsv ? CsvTenantRows.Read(content, limits.Value.MaxBulkRows) : JsonTenantRows.Read(content, limits.Value.MaxBulkRows);
        return await bulk.RunAsync(body, isAtomic, Caller.NameOf(http.User), cancellationToken);
    }

    private static async Task<IResult> ListAsync(
        TenantQuery query,
        IOptions<RequestLimitsOptions> limits,
        CancellationToken cancellationToken,
        string? pageSize = null,
        string? continuationToken = null,
        string? health = null,
        string? paused = null,
        string? source = null)
    {
        var errors = new FieldErrors();
        var size = limits.Value.DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size < 1 || size > limits.Value.MaxPageSize))
        {
            errors.Add("pageSize", $"Must be a whole number from 1 to {limits.Value.MaxPageSize}.");
        }

        string? after = null;
        if (continuationToken is not null && !ContinuationToken.TryDecode(continuationToken, out after))
        {
            errors.Add("continuationToken", "Not a token this API issued; pass the one a previous page returned.");
        }

        TenantHealth? healthFilter = null;
        if (health is not null)
        {
            if (Enum.TryParse<TenantHealth>(health, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(health, out _))
            {
                healthFilter = parsed;
            }
            else
            {
                errors.Add("health", $"Must be one of {string.Join(", ", Enum.GetNames<TenantHealth>())}.");
            }
        }

        bool? pausedFilter = null;
        if (paused is not null)
        {
            if (TryParseFlag(paused, out var flag))
            {
                pausedFilter = flag;
            }
            else
            {
                errors.Add("paused", "Must be true or false.");
            }
        }

        var sourceFilter = source is null ? null : DefenderSources.All.FirstOrDefault(known => string.Equals(known, source, StringComparison.OrdinalIgnoreCase));
        if (source is not null && sourceFilter is null)
        {
            errors.Add("source", $"Must be one of {string.Join(", ", DefenderSources.All)}.");
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var page = await query.ListAsync(new TenantFilter(healthFilter, pausedFilter, sourceFilter), after, size, cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string tenantId, TenantDocumentStore store, CancellationToken cancellationToken)
    {
        if (!TryTenantId(tenantId, out var id, out var invalid))
        {
            return invalid;
        }

        var stored = await store.GetAsync(id, cancellationToken);
        if (stored is null)
        {
            return ApiProblems.TenantNotFound(id);
        }

        SetETag(http, stored);
        return TypedResults.Ok(TenantResponses.From(stored.Document));
    }

    private static Task<IResult> PatchAsync(
        HttpContext http, string tenantId, TenantRequestValidator validator, TenantWriter writer, IOptions<RequestLimitsOptions> limits,
        CancellationToken cancellationToken) =>
        UpdateFromBodyAsync<TenantPatchRequest, ValidPatch>(
            http, tenantId, writer, limits, "settings changed", validator.ValidatePatch,
            (id, patch, document) => patch.SinksGiven ? Apply(document, patch) with { Sinks = writer.SealSinks(id, patch.Sinks) } : Apply(document, patch),
            cancellationToken);

    private static Task<IResult> RotateCredentialsAsync(
        HttpContext http, string tenantId, TenantRequestValidator validator, TenantWriter writer, IOptions<RequestLimitsOptions> limits,
        CancellationToken cancellationToken) =>
        UpdateFromBodyAsync<CredentialsRequest, ValidCredentials>(
            http, tenantId, writer, limits, "credentials rotated", validator.ValidateCredentials,
            (id, credentials, document) => document with
            {
                ClientId = credentials.ClientId ?? document.ClientId,
                Credential = writer.Seal(id, credentials.ClientSecret, credentials.ClientCertificate, writer.Now),
            },
            cancellationToken);

    /// <summary>
    /// What every change driven by a request body shares: a valid tenant id, a bounded strict JSON body, validation
    /// (400 naming the fields, nothing stored), then the conditional update (If-Match honoured) and the new ETag.
    /// </summary>
    private static async Task<IResult> UpdateFromBodyAsync<TRequest, TValid>(
        HttpContext http, string tenantId, TenantWriter writer, IOptions<RequestLimitsOptions> limits, string action,
        Func<TRequest, FieldErrors, TValid?> validate, Func<string, TValid, TenantDocument, TenantDocument> apply,
        CancellationToken cancellationToken)
        where TRequest : class
        where TValid : class
    {
        if (!TryTenantId(tenantId, out var id, out var invalid))
        {
            return invalid;
        }

        var (request, problem) = await JsonBody.ReadAsync<TRequest>(http.Request, limits.Value.MaxRequestBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new FieldErrors();
        if (validate(request!, errors) is not { } valid)
        {
            return ApiProblems.Validation(errors);
        }

        var stored = await writer.UpdateAsync(id, IfMatch.From(http.Request), action, document => apply(id, valid, document),
            Caller.NameOf(http.User), cancellationToken);
        SetETag(http, stored);
        return TypedResults.Ok(TenantResponses.From(stored.Document));
    }

    private static async Task<IResult> DeleteAsync(
        HttpContext http, string tenantId, TenantDocumentStore store, TenantDataPurger purger, ILoggerFactory loggers,
        CancellationToken cancellationToken, string? purge = null)
    {
        if (!TryTenantId(tenantId, out var id, out var invalid))
        {
            return invalid;
        }

        if (!TryParseFlag(purge, out var purging))
        {
            return ApiProblems.Invalid("purge", "Must be true or false.");
        }

        var ifMatch = IfMatch.From(http.Request);
        var stored = await store.GetAsync(id, cancellationToken);
        if (stored is not null && ifMatch is not null && !ifMatch.Matches(stored.ETag))
        {
            throw new PreconditionFailedException(id);
        }

        // Known only while the document exists: a purge after a plain delete cannot find the tenant's own file sinks.
        var ownFileSinks = stored?.Document.Sinks?.Sinks
            .Where(sink => sink.Kind is TenantSinkKind.JsonLines or TenantSinkKind.Csv && sink.Folder is { Length: > 0 })
            .Select(sink => sink.Folder!)
            .ToList() ?? [];
        var deleted = stored is not null
            && await store.DeleteAsync(id, ifMatch is null ? null : stored.ETag, cancellationToken);
        if (!purging)
        {
            if (!deleted)
            {
                return ApiProblems.TenantNotFound(id);
            }

            ApiLog.TenantDeleted(loggers.CreateLogger(typeof(TenantEndpoints)), id, Caller.NameOf(http.User), purge: false);
            return TypedResults.NoContent();
        }

        // Purging also serves a tenant deleted earlier without it: its state and data may still be there.
        var purged = await purger.PurgeAsync(id, ownFileSinks, cancellationToken);
        if (!deleted && !purged.StateDeleted && !purged.DeliveredDataDeleted)
        {
            return ApiProblems.TenantNotFound(id);
        }

        ApiLog.TenantDeleted(loggers.CreateLogger(typeof(TenantEndpoints)), id, Caller.NameOf(http.User), purge: true);
        return TypedResults.Ok(new TenantDeleted(id, deleted, true, purged.StateDeleted, purged.DeliveredDataDeleted, purged.LeaseBroken));
    }

    internal static TenantDocument Apply(TenantDocument document, ValidPatch patch) => document with
    {
        DisplayName = patch.DisplayName ?? document.DisplayName,
        Cloud = patch.Cloud ?? document.Cloud,
        SiemRegion = patch.SiemRegion ?? document.SiemRegion,
        Sources = patch.Sources ?? document.Sources,
        PollInterval = patch.PollInterval ?? document.PollInterval,
        InitialLookback = patch.InitialLookback ?? document.InitialLookback,
        MachineGroups = patch.MachineGroups ?? document.MachineGroups,
        XdrRegion = patch.XdrRegion is null ? document.XdrRegion : patch.XdrRegion.Length == 0 ? null : patch.XdrRegion,
    };

    /// <summary>The canonical form of a route's tenant id, or the 400 naming it.</summary>
    internal static bool TryTenantId(string value, out string tenantId, out IResult invalid)
    {
        var errors = new FieldErrors();
        tenantId = TenantRequestValidator.RequiredGuid(value, "tenantId", errors) ?? "";
        invalid = errors.IsEmpty ? TypedResults.Empty : ApiProblems.Validation(errors);
        return errors.IsEmpty;
    }

    internal static bool TryParseFlag(string? value, out bool flag)
    {
        flag = false;
        return value is null || bool.TryParse(value, out flag);
    }

    internal static void SetETag(HttpContext http, StoredTenant stored) =>
        http.Response.Headers.ETag = stored.ETag.ToString("H");
}
