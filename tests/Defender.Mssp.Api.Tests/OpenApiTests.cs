using System.Net;
using System.Text.Json.Nodes;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

[Collection(AzuriteFixture.CollectionName)]
public sealed class OpenApiTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task The_document_describes_every_operation_with_request_and_response_schemas_and_the_api_key()
    {
        var response = await Reader.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject();
        Assert.Equal(
            new[] { "/cluster", "/tenants", "/tenants/{tenantId}", "/tenants/{tenantId}/credentials", "/tenants/{tenantId}/pause",
             "/tenants/{tenantId}/poll", "/tenants/{tenantId}/resume", "/tenants/{tenantId}/status", "/tenants/bulk" }
                .Order(StringComparer.Ordinal),
            paths.Select(path => path.Key).Order(StringComparer.Ordinal));
        var schemas = document["components"]!["schemas"]!.AsObject().Select(schema => schema.Key).ToList();
        foreach (var expected in new[] { "TenantCreateRequest", "TenantPatchRequest", "CredentialsRequest", "TenantResponse", "TenantPage",
                     "TenantStatusResponse", "ClusterResponse", "BulkOnboardResult", "PollAccepted", "HttpValidationProblemDetails", "ProblemDetails" })
        {
            Assert.Contains(expected, schemas);
        }

        var create = paths["/tenants"]!["post"]!;
        Assert.NotNull(create["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(create["responses"]!["201"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(create["responses"]!["400"]);
        Assert.NotNull(paths["/tenants/bulk"]!["post"]!["requestBody"]!["content"]!["text/csv"]);
        Assert.Equal("apiKey", document["components"]!["securitySchemes"]!["ApiKey"]!["type"]!.GetValue<string>());
        var interval = document["components"]!["schemas"]!["TenantCreateRequest"]!["properties"]!["pollInterval"]!;
        Assert.Contains("string", interval["type"]!.ToJsonString(), StringComparison.Ordinal);
        foreach (var request in new[] { "TenantCreateRequest", "TenantPatchRequest" })
        {
            Assert.NotNull(document["components"]!["schemas"]![request]!["properties"]!["sinks"]);
        }

        Assert.NotNull(document["components"]!["schemas"]!["TenantResponse"]!["properties"]!["sinks"]);
        var sink = document["components"]!["schemas"]!["TenantSinkInput"]!["properties"]!.AsObject().Select(property => property.Key).ToList();
        Assert.Superset(new HashSet<string> { "name", "type", "folder", "url", "headers", "token", "index", "sourceType", "host", "port", "format", "tls" }, sink.ToHashSet());
        Assert.DoesNotContain("sinksGiven", document["components"]!["schemas"]!["TenantPatchRequest"]!["properties"]!.AsObject().Select(property => property.Key));
    }
}
