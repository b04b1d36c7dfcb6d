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

/// <summary>
/// After onboarding every way there is, no secret's text — nor a certificate's private key or password — is in any
/// blob, response or log line.
/// </summary>
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
        var secrets = new List<string> { single, inJson, inCsv, rotated, inBadRequest };

        var singleId = await OnboardAsync(TestTenants.Body(secret: single));

        // Certificates: uploaded as PKCS#12 and as (encrypted) PEM, rotated to, and refused; each with its own password.
        using var pfxCertificate = ClientCertificates.Create("CN=leak pfx");
        using var pemCertificate = ClientCertificates.Create("CN=leak pem");
        using var rotatedCertificate = ClientCertificates.Create("CN=leak rotated");
        var pfxPassword = TestTenants.NewSecret();
        var pemPassword = TestTenants.NewSecret();
        var rotatedPassword = TestTenants.NewSecret();
        var refusedPassword = TestTenants.NewSecret();
        var pfxUpload = CertificateBodies.Pfx(pfxCertificate, pfxPassword);
        var pemUpload = CertificateBodies.Pem(pemCertificate, pemPassword);
        var certificateId = await OnboardAsync(CertificateBodies.Tenant(pfxUpload));
        var bulkCertificate = await Admin.PostAsync("/tenants/bulk", JsonContent.Create(new JsonArray(CertificateBodies.Tenant(pemUpload))));
        var replacedBySecret = TestTenants.NewSecret();
        secrets.Add(replacedBySecret);
        var toCertificateId = await OnboardAsync(TestTenants.Body(secret: replacedBySecret));
        var certificateRotation = await Admin.PutAsync($"/tenants/{toCertificateId}/credentials", TestTenants.Json(
            "{" + CertificateBodies.Member(CertificateBodies.Pem(rotatedCertificate, rotatedPassword)) + "}"));
        var refusedCertificate = await TestTenants.CreateAsync(Admin, CertificateBodies.Tenant(CertificateBodies.Pfx(CertificateBodies.Expired, refusedPassword)));
        secrets.AddRange([pfxPassword, pemPassword, rotatedPassword, refusedPassword]);
        foreach (var certificate in new[] { pfxCertificate, pemCertificate, rotatedCertificate, CertificateBodies.Expired })
        {
            // The key in clear as it would appear in a PEM (64-character lines) and in one piece.
            var key = ClientCertificates.PrivateKeyBase64(certificate);
            secrets.AddRange([key[..64], key[^64..]]);
        }

        foreach (var upload in new[] { pfxUpload["pfxBase64"]!.GetValue<string>(), pemUpload["pem"]!.GetValue<string>() })
        {
            secrets.Add(upload.Substring(upload.Length / 2, 64));
        }

        var jsonBody = new JsonArray(TestTenants.Body(secret: inJson));
        var bulkJson = await Admin.PostAsync("/tenants/bulk", JsonContent.Create(jsonBody));
        var csvId = Guid.NewGuid().ToString();
        var bulkCsv = await Admin.PostAsync("/tenants/bulk", new StringContent(
            $"tenantId,clientId,clientSecret\n{csvId},{Guid.NewGuid()},{inCsv}\n", Encoding.UTF8, "text/csv"));
        var rotation = await Admin.PutAsync($"/tenants/{csvId}/credentials", JsonContent.Create(new { clientSecret = rotated }));
        var bad = TestTenants.Body(secret: inBadRequest);
        bad["pollInterval"] = "00:00:01";
        var refused = await TestTenants.CreateAsync(Admin, bad);

        // A tenant's own sinks: an HEC token and a secret header, onboarded, in bulk, patched in, read back and refused.
        var hecToken = TestTenants.NewSecret();
        var bulkHecToken = TestTenants.NewSecret();
        var patchedHeader = TestTenants.NewSecret();
        var refusedHecToken = TestTenants.NewSecret();
        secrets.AddRange([hecToken, bulkHecToken, patchedHeader, refusedHecToken]);
        var sinkBody = TestTenants.Body();
        sinkBody["sinks"] = HecSinks(hecToken, "https://splunk.example.com:8088");
        var sinkTenantId = await OnboardAsync(sinkBody);
        var bulkSinkBody = TestTenants.Body();
        bulkSinkBody["sinks"] = HecSinks(bulkHecToken, "https://splunk.example.com:8088");
        var bulkSinks = await Admin.PostAsync("/tenants/bulk", JsonContent.Create(new JsonArray(bulkSinkBody)));
        var patchedSinks = await Admin.PatchAsync($"/tenants/{singleId}", JsonContent.Create(new JsonObject
        {
            ["sinks"] = new JsonObject
            {
                ["mode"] = "add",
                ["sinks"] = new JsonArray(new JsonObject
                {
                    ["name"] = "soc-http",
                    ["type"] = "http",
                    ["url"] = "https://soc.example.com/ingest",
                    ["headers"] = new JsonObject { ["Authorization"] = "Bearer " + patchedHeader },
                }),
            },
        }));
        var refusedSinkBody = TestTenants.Body();
        refusedSinkBody["sinks"] = HecSinks(refusedHecToken, "http://splunk.example.com:8088");
        var refusedSink = await TestTenants.CreateAsync(Admin, refusedSinkBody);
        var sinkTenant = await Reader.GetAsync($"/tenants/{sinkTenantId}");

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
        Assert.Equal(HttpStatusCode.OK, bulkCertificate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, certificateRotation.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refusedCertificate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bulkSinks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patchedSinks.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refusedSink.StatusCode);
        var shownSink = (await sinkTenant.Content.ReadFromJsonAsync<JsonObject>())!["sinks"]!["sinks"]![0]!;
        Assert.Equal(("***", "https://splunk.example.com:8088"), (shownSink["token"]!.GetValue<string>(), shownSink["url"]!.GetValue<string>()));
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
        var certificateDocument = JsonNode.Parse(blobs.Single(blob => blob.Name == $"tenants/{certificateId}.json").Text)!["credential"]!;
        var unsealed = Api.Services.GetRequiredService<TenantSecretProtector>()
            .UnsealCertificate(certificateId, certificateDocument["sealed"]!.GetValue<string>());
        Assert.Equal((pfxCertificate.Thumbprint, pfxPassword), (unsealed.Thumbprint, unsealed.Password?.Reveal()));
        Assert.Equal(pfxCertificate.Thumbprint, certificateDocument["thumbprint"]!.GetValue<string>());
        Assert.Contains(Api.Responses, response => response.Contains("rejected", StringComparison.Ordinal) && response.Contains("***", StringComparison.Ordinal));

        // The sinks' secrets too are stored sealed, under their own purpose, and unseal for the silo.
        var sinkDocument = JsonNode.Parse(blobs.Single(blob => blob.Name == $"tenants/{sinkTenantId}.json").Text)!;
        var sealedToken = sinkDocument["sinks"]!["sinks"]![0]!["sealedToken"]!.GetValue<string>();
        var protector = Api.Services.GetRequiredService<TenantSecretProtector>();
        Assert.Equal(hecToken, protector.UnsealSinkSecret(sinkTenantId, sealedToken).Reveal());
        Assert.Throws<SecretUnsealException>(() => protector.Unseal(sinkTenantId, sealedToken));
        var sealedHeader = JsonNode.Parse(blobs.Single(blob => blob.Name == $"tenants/{singleId}.json").Text)!["sinks"]!["sinks"]![0]!["sealedHeaders"]!["Authorization"]!;
        Assert.Equal("Bearer " + patchedHeader, protector.UnsealSinkSecret(singleId, sealedHeader.GetValue<string>()).Reveal());
    }

    private static JsonObject HecSinks(string token, string url) => new()
    {
        ["mode"] = "replace",
        ["sinks"] = new JsonArray(new JsonObject { ["name"] = "splunk", ["type"] = "hec", ["url"] = url, ["token"] = token, ["index"] = "soc" }),
    };
}
