using System.Security.Claims;

namespace Defender.Mssp.Api.Endpoints;

/// <summary>Who is calling, for audit fields and log lines.</summary>
public static class Caller
{
    public static string NameOf(ClaimsPrincipal user) => user.Identity?.Name is { Length: > 0 } name ? name : "unknown";
}
