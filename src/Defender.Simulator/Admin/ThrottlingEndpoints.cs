using System.ComponentModel.DataAnnotations;
using Defender.Simulator.Api;
using Defender.Simulator.Hosting;

namespace Defender.Simulator.Admin;

/// <summary>
/// <c>GET/PUT /simulator/throttling</c>: the simulator-wide API rate limits (<see cref="ThrottlingOptions"/>) in force,
/// and replacing them at run time (counts carry on), so a test can raise or lower them without restarting.
/// </summary>
internal static class ThrottlingEndpoints
{
    public static RouteGroupBuilder MapThrottlingEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/throttling", (ApiThrottling throttling) => throttling.Current);
        admin.MapPut("/throttling", (ThrottlingOptions limits, ApiThrottling throttling) =>
        {
            if (Invalid(limits) is { } error)
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            throttling.Replace(limits);
            return Results.Ok(throttling.Current);
        });
        return admin;
    }

    private static string? Invalid(ThrottlingOptions limits)
    {
        foreach (var (api, limit) in limits.Apis)
        {
            if (limit is null)
            {
                return $"The limits of '{api}' are empty.";
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(limit, new ValidationContext(limit), results, validateAllProperties: true))
            {
                return $"'{api}': {string.Join(" ", results.Select(r => r.ErrorMessage))}";
            }
        }

        return null;
    }
}
