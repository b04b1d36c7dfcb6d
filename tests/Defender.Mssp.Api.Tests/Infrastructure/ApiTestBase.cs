using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests.Infrastructure;

/// <summary>One API (and container) per test class; tests make their own tenants with fresh ids.</summary>
public abstract class ApiTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected ApiFactory Api { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    protected HttpClient Reader { get; private set; } = null!;

    protected AzuriteFixture Azurite => azurite;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services => null;

    public virtual Task InitializeAsync()
    {
        Api = new ApiFactory(azurite, Settings, Services);
        Admin = Api.Admin();
        Reader = Api.Reader();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Api.DisposeAsync();

    /// <summary>Onboards a tenant through the API and returns its id.</summary>
    protected async Task<string> OnboardAsync(JsonObject? body = null)
    {
        body ??= TestTenants.Body();
        var response = await TestTenants.CreateAsync(Admin, body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["tenantId"]!.GetValue<string>();
    }

    protected static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>The ProblemDetails <c>errors</c> member's field names.</summary>
    protected static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await BodyAsync(response);
        return problem["errors"] is JsonObject errors ? errors.Select(pair => pair.Key).ToList() : [];
    }
}
