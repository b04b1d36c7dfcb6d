using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Defender.AppHost.ManagementApi;

/// <summary>
/// The few management API calls the AppHost makes (onboarding the demo tenants), as the operator would make them:
/// authenticated with an API key, waiting out a 429 as the API asks. Request bodies carry client secrets, so errors
/// report the status and the problem's title only.
/// </summary>
public sealed class ManagementApiClient(Uri baseAddress, GeneratedApiKey key) : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Onboards a tenant; false when it already exists.</summary>
    public async Task<bool> TryCreateTenantAsync(TenantCreateRequest tenant, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "tenants")
        {
            Content = JsonContent.Create(tenant),
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        await EnsureSuccessAsync(response, "onboarding a tenant", cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task RotateCredentialsAsync(string tenantId, CredentialsRequest credentials, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"tenants/{tenantId}/credentials")
        {
            Content = JsonContent.Create(credentials),
        }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"rotating the credentials of tenant {tenantId}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops polling a tenant and forgets it (its checkpoints and delivered records stay); a missing one is fine.</summary>
    public async Task DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"tenants/{tenantId}"), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, $"removing tenant {tenantId}", cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var message = request();
            message.Headers.Add(ApiKeyHeader, key.Key);
            var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? DefaultRetryAfter;
            response.Dispose();
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var title = "";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            title = problem.RootElement.TryGetProperty("title", out var t) ? $": {t.GetString()}" : "";
        }
        catch (JsonException)
        {
            // Not a problem document; the status says enough.
        }

        throw new HttpRequestException($"The management API answered {(int)response.StatusCode} to {what}{title}.", null, response.StatusCode);
    }
}
