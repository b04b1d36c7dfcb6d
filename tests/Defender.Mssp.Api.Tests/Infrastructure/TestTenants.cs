using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Defender.Mssp.Api.Tests.Infrastructure;

/// <summary>Request bodies for tenants with fresh ids and recognisable secrets.</summary>
public static class TestTenants
{
    public static string NewSecret() => "s3cr3t~" + Guid.NewGuid().ToString("N");

    public static JsonObject Body(string? tenantId = null, string? secret = null, string? clientId = null) => new()
    {
        ["tenantId"] = tenantId ?? Guid.NewGuid().ToString(),
        ["clientId"] = clientId ?? Guid.NewGuid().ToString(),
        ["clientSecret"] = secret ?? NewSecret(),
        ["displayName"] = "Contoso",
    };

    public static async Task<HttpResponseMessage> CreateAsync(HttpClient client, JsonObject body) =>
        await client.PostAsync("/tenants", JsonContent.Create(body));

    public static StringContent Json(string json, string contentType = "application/json") =>
        new(json, System.Text.Encoding.UTF8, contentType);
}
