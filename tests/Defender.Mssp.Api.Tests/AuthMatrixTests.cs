using System.Net;
using System.Net.Http.Json;
using System.Text;
using Defender.Mssp.Api.Security;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Api.Tests;

/// <summary>
/// Anonymous, Reader and Admin against every endpoint: 401 without credentials, 403 for a Reader on anything that
/// changes state, success for the role that may. Open are only <c>/health</c>, <c>/alive</c> and the dashboard's static
/// page and files (<c>/</c>, <c>/dashboard/assets/{name}</c>): a browser cannot send an API key when it navigates, the
/// page is the same for everyone and holds no data, and everything it shows comes from the authenticated routes.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class AuthMatrixTests(SharedApi shared) : IClassFixture<SharedApi>
{
    public enum Caller
    {
        Anonymous,
        Reader,
        Admin,
    }

    /// <summary>Every endpoint: how to call it, on a tenant made for the call, and the least role it needs.</summary>
    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["GET /tenants"] = new("GET", _ => "/tenants", null, ApiRoles.Reader),
        ["POST /tenants"] = new("POST", _ => "/tenants", _ => TestTenants.Body().ToJsonString(), ApiRoles.Admin),
        ["POST /tenants/bulk"] = new("POST", _ => "/tenants/bulk", _ => "[" + TestTenants.Body().ToJsonString() + "]", ApiRoles.Admin),
        ["GET /tenants/{tenantId}"] = new("GET", id => $"/tenants/{id}", null, ApiRoles.Reader),
        ["PATCH /tenants/{tenantId}"] = new("PATCH", id => $"/tenants/{id}", _ => "{\"displayName\":\"Changed\"}", ApiRoles.Admin),
        ["PUT /tenants/{tenantId}/credentials"] = new("PUT", id => $"/tenants/{id}/credentials", _ => "{\"clientSecret\":\"rotated-secret\"}", ApiRoles.Admin),
        ["POST /tenants/{tenantId}/pause"] = new("POST", id => $"/tenants/{id}/pause", null, ApiRoles.Admin),
        ["POST /tenants/{tenantId}/resume"] = new("POST", id => $"/tenants/{id}/resume", null, ApiRoles.Admin),
        ["POST /tenants/{tenantId}/poll"] = new("POST", id => $"/tenants/{id}/poll", null, ApiRoles.Admin),
        ["DELETE /tenants/{tenantId}"] = new("DELETE", id => $"/tenants/{id}", null, ApiRoles.Admin),
        ["GET /tenants/{tenantId}/status"] = new("GET", id => $"/tenants/{id}/status", null, ApiRoles.Reader),
        ["GET /cluster"] = new("GET", _ => "/cluster", null, ApiRoles.Reader),
        ["GET /openapi/{documentName}.json"] = new("GET", _ => "/openapi/v1.json", null, ApiRoles.Reader),
        ["GET /dashboard/session"] = new("GET", _ => "/dashboard/session", null, ApiRoles.Reader),
        ["GET /dashboard/overview"] = new("GET", _ => "/dashboard/overview", null, ApiRoles.Reader),
        ["GET /dashboard/history"] = new("GET", _ => "/dashboard/history", null, ApiRoles.Reader),
        ["GET /dashboard/tenants/{tenantId}/errors"] = new("GET", id => $"/dashboard/tenants/{id}/errors", null, ApiRoles.Reader),

        // Deliberately anonymous: the dashboard's static shell (login form, scripts, styles), which carries no data.
        ["GET /"] = new("GET", _ => "/", null, null),
        ["GET /dashboard/assets/{name}"] = new("GET", _ => "/dashboard/assets/app.js", null, null),
        ["GET /health"] = new("GET", _ => "/health", null, null),
        ["GET /alive"] = new("GET", _ => "/alive", null, null),
    };

    private ApiFactory Api => shared.Api;

    public static TheoryData<string, Caller> Matrix()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var endpoint in Endpoints.Keys)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(endpoint, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_endpoint_admits_exactly_the_roles_it_should(string name, Caller caller)
    {
        var endpoint = Endpoints[name];
        var tenantId = await OnboardAsync();
        var before = (await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing();
        var client = caller switch
        {
            Caller.Admin => Api.Admin(),
            Caller.Reader => Api.Reader(),
            _ => Api.Anonymous(),
        };
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path(tenantId));
        if (endpoint.Body?.Invoke(tenantId) is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        var allowed = endpoint.Role is null
            || caller == Caller.Admin
            || (caller == Caller.Reader && endpoint.Role == ApiRoles.Reader);
        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode, $"{name} as {caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return;
        }

        var expected = caller == Caller.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Contains(response.Headers.WwwAuthenticate, header => header.Scheme == ApiKeyAuthenticationHandler.AuthorizationScheme);
        }

        Assert.True(before.SameAs((await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing()), $"{name} as {caller} changed storage");
    }

    [Fact]
    public void The_matrix_covers_every_mapped_endpoint_and_all_but_health_require_authorization()
    {
        var routes = Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Name: $"{method} {Normalize(endpoint.RoutePattern.RawText)}", Endpoint: endpoint)))
            .ToList();

        Assert.Equal(Endpoints.Keys.Order(StringComparer.Ordinal), routes.Select(route => route.Name).Distinct().Order(StringComparer.Ordinal));
        foreach (var (name, endpoint) in routes)
        {
            var authorized = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();
            Assert.True(authorized == (Endpoints[name].Role is not null), $"{name}: authorization metadata {authorized}");
        }
    }

    [Fact]
    public async Task A_wrong_or_doubled_key_is_401_and_the_authorization_header_form_works()
    {
        var wrong = await Api.WithKey("dmk_not-a-key").GetAsync("/tenants");
        var doubled = Api.Reader();
        doubled.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "ApiKey " + Api.ReaderKey);
        var viaAuthorization = Api.Anonymous();
        viaAuthorization.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "ApiKey " + Api.ReaderKey);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await doubled.GetAsync("/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viaAuthorization.GetAsync("/tenants")).StatusCode);
        Assert.DoesNotContain(Api.Logs.Entries, entry => entry.Contains("dmk_not-a-key", StringComparison.Ordinal));
    }

    /// <summary>The endpoints that take a credential, with a certificate instead of a secret: the same roles apply.</summary>
    private static readonly Dictionary<string, Endpoint> CertificateEndpoints = new()
    {
        ["POST /tenants with a certificate"] = new("POST", _ => "/tenants",
            _ => CertificateBodies.Tenant(CertificateBodies.Pfx(CertificateBodies.Valid, "pfx-password")).ToJsonString(), ApiRoles.Admin),
        ["POST /tenants/bulk with a certificate"] = new("POST", _ => "/tenants/bulk",
            _ => "[" + CertificateBodies.Tenant(CertificateBodies.Pem(CertificateBodies.Valid, null)).ToJsonString() + "]", ApiRoles.Admin),
        ["PUT /tenants/{tenantId}/credentials with a certificate"] = new("PUT", id => $"/tenants/{id}/credentials",
            _ => "{" + CertificateBodies.Member(CertificateBodies.Pem(CertificateBodies.Valid, "pem-password")) + "}", ApiRoles.Admin),
    };

    public static TheoryData<string, Caller> CertificateMatrix()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var endpoint in CertificateEndpoints.Keys)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(endpoint, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CertificateMatrix))]
    public async Task Certificate_credentials_are_admitted_for_exactly_the_same_roles(string name, Caller caller)
    {
        var endpoint = CertificateEndpoints[name];
        var tenantId = await OnboardAsync();
        var before = (await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing();
        var client = caller switch
        {
            Caller.Admin => Api.Admin(),
            Caller.Reader => Api.Reader(),
            _ => Api.Anonymous(),
        };

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path(tenantId))
        {
            Content = new StringContent(endpoint.Body!(tenantId), Encoding.UTF8, "application/json"),
        });

        if (caller == Caller.Admin)
        {
            Assert.True(response.IsSuccessStatusCode, $"{name} as {caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return;
        }

        Assert.Equal(caller == Caller.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(before.SameAs((await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing()), $"{name} as {caller} changed storage");
    }

    private async Task<string> OnboardAsync()
    {
        var body = TestTenants.Body();
        var response = await Api.Admin().PostAsync("/tenants", JsonContent.Create(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return body["tenantId"]!.GetValue<string>();
    }

    private static string Normalize(string? pattern) => "/" + (pattern ?? "").Trim('/');

    private sealed record Endpoint(string Method, Func<string, string> Path, Func<string, string>? Body, string? Role);
}
