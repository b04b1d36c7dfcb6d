using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Api.Tests;

/// <summary>After onboarding every way there is, no secret's text is in any blob, response or log line.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class SecretLeakTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task Secrets_appear_nowhere_in_storage_responses_or_logs_yet_unseal_for_the_silo()
    {
        var single = TestTenants.NewSecret();
        var inJson = TestTenants.NewSecret();
        var inCsv = TestTenants.NewSecret();
        var rotated = TestTenants.NewSecret();
        var inBadRequest = TestTenants.NewSecret();
        var secrets = new[] { single, inJson, inCsv, rotated, inBadRequest };

        var singleId = await OnboardAsync(TestTenants.Body(secret: single));
        var jsonBody = new JsonArray(TestTenants.Body(secret: inJson));
        var bulkJson = await Admin.PostAsync("/tenants/bulk", JsonContent.Create(jsonBody));
        var csvId = Guid.NewGuid().ToString();
        var bulkCsv = await Admin.PostAsync("/tenants/bulk", new StringContent(
            $"tenantId,clientId,clientSecret\n{csvId},{Guid.NewGuid()},{inCsv}\n", Encoding.UTF8, "text/csv"));
        var rotation = await Admin.PutAsync($"/tenants/{csvId}/credentials", JsonContent.Create(new { clientSecret = rotated }));
        var bad = TestTenants.Body(secret: inBadRequest);
        bad["pollInterval"] = "00:00:01";
        var refused = await TestTenants.CreateAsync(Admin, bad);

        // A grain error that (against its contract) quotes the secret is scrubbed on the way out.
        await Api.Services.GetRequiredService<IGrainStorage>().WriteAsync(singleId, new TenantGrainState
        {
            Health = TenantHealth.AuthFailed,
            LastError = new TenantError { Code = "invalid_client", Message = $"secret {single} rejected", At = DateTimeOffset.UtcNow },
        }, StorageConditions.CreateNew(), CancellationToken.None);
        await Reader.GetAsync($"/tenants/{singleId}");
        await Reader.GetAsync($"/tenants/{singleId}/status");
        await Reader.GetAsync("/tenants");
        await Reader.GetAsync("/cluster");

        Assert.Equal(HttpStatusCode.OK, bulkJson.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bulkCsv.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        // Every blob but the state this test planted with the secret in it on purpose.
        var blobs = (await StorageSnapshot.ReadAllAsync(Api.Container)).Where(blob => blob.Name != $"state/{singleId}.json").ToList();
        Assert.Contains(blobs, blob => blob.Name == $"tenants/{singleId}.json");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(blobs, blob => blob.Text.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(Api.Responses, response => response.Contains(secret, StringComparison.Ordinal));
            Assert.False(Api.Logs.Contains(secret), "a log entry carries a secret");
        }

        // The control: what is stored is the secret, sealed — the silo's side of the key ring gets it back.
        var document = blobs.Single(blob => blob.Name == $"tenants/{csvId}.json").Text;
        var sealedSecret = JsonNode.Parse(document)!["credential"]!["sealed"]!.GetValue<string>();
        Assert.Equal(rotated, Api.Services.GetRequiredService<TenantSecretProtector>().Unseal(csvId, sealedSecret).Reveal());
        Assert.Contains(Api.Responses, response => response.Contains("rejected", StringComparison.Ordinal) && response.Contains("***", StringComparison.Ordinal));
    }
}
