using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Runtime.Tests.DataProtection;

/// <summary>The API seals, a silo unseals: two processes, one key ring in blob storage.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class SharedKeyRingTests(AzuriteFixture azurite)
{
    private const string TenantId = "6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01";

    [Fact]
    public void A_secret_sealed_by_one_process_is_unsealed_by_another()
    {
        var container = azurite.NewContainer();
        using var api = KeyRings.Process(container, azurite.ConnectionString);
        using var silo = KeyRings.Process(container, azurite.ConnectionString);

        var sealedSecret = KeyRings.Protector(api).Seal(TenantId, new Secret("the-client-secret"));

        Assert.DoesNotContain("the-client-secret", sealedSecret, StringComparison.Ordinal);
        Assert.Equal("the-client-secret", KeyRings.Protector(silo).Unseal(TenantId, sealedSecret).Reveal());
    }

    [Fact]
    public void A_key_another_process_created_later_is_fetched_when_a_secret_sealed_with_it_arrives()
    {
        var container = azurite.NewContainer();
        using var silo = KeyRings.Process(container, azurite.ConnectionString);
        using var api = KeyRings.Process(container, azurite.ConnectionString);
        var first = KeyRings.Protector(api).Seal(TenantId, new Secret("one"));
        Assert.Equal("one", KeyRings.Protector(silo).Unseal(TenantId, first).Reveal());

        // A new key appears (as Data Protection rolls one every 90 days) after the silo cached its key ring, and an API
        // process that starts later seals with it.
        var newKey = api.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        using var restartedApi = KeyRings.Process(container, azurite.ConnectionString);
        var second = KeyRings.Protector(restartedApi).Seal(TenantId, new Secret("two"));

        Assert.Contains(ReadKeyIds(container), name => name.Contains(newKey.KeyId.ToString(), StringComparison.Ordinal));
        Assert.Equal(newKey.KeyId, KeyIdOf(second));
        Assert.Equal("two", KeyRings.Protector(silo).Unseal(TenantId, second).Reveal());
    }

    [Fact]
    public void A_secret_sealed_for_one_tenant_does_not_unseal_for_another()
    {
        using var process = KeyRings.Process(azurite.NewContainer(), azurite.ConnectionString);
        var protector = KeyRings.Protector(process);
        var sealedSecret = protector.Seal(TenantId, new Secret("the-client-secret"));

        var error = Assert.Throws<SecretUnsealException>(() => protector.Unseal("0b6e1d52-8c9a-4f3e-b1d7-5a2c9e4f8b10", sealedSecret));

        Assert.DoesNotContain("the-client-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_application_name_cannot_unseal()
    {
        var container = azurite.NewContainer();
        using var product = KeyRings.Process(container, azurite.ConnectionString);
        using var stranger = KeyRings.Process(container, azurite.ConnectionString, new Dictionary<string, string?> { ["DataProtection:ApplicationName"] = "Other" });
        var sealedSecret = KeyRings.Protector(product).Seal(TenantId, new Secret("the-client-secret"));

        Assert.Throws<SecretUnsealException>(() => KeyRings.Protector(stranger).Unseal(TenantId, sealedSecret));
    }

    [Fact]
    public void A_tampered_sealed_secret_is_refused()
    {
        using var process = KeyRings.Process(azurite.NewContainer(), azurite.ConnectionString);
        var protector = KeyRings.Protector(process);
        var sealedSecret = protector.Seal(TenantId, new Secret("the-client-secret"));
        var tampered = sealedSecret[..^4] + (sealedSecret[^4] == 'A' ? 'B' : 'A') + sealedSecret[^3..];

        Assert.Throws<SecretUnsealException>(() => protector.Unseal(TenantId, tampered));
    }

    /// <summary>The key a payload was protected with: Data Protection writes a 4-byte magic header, then the key id.</summary>
    private static Guid KeyIdOf(string sealedSecret) =>
        new(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(sealedSecret).AsSpan(4, 16));

    private static IEnumerable<string> ReadKeyIds(Defender.Mssp.Runtime.Storage.Blobs.BlobContainerClient container) =>
        container.GetBlobsAsync().ToBlockingEnumerable().Select(item => item.Name);

    [Fact]
    public async Task With_a_key_encryption_certificate_the_stored_keys_are_encrypted_and_still_shared()
    {
        var container = azurite.NewContainer();
        var pfx = Path.Combine(Path.GetTempPath(), $"keyring-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Defender.Mssp key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pw"));
        }

        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["DataProtection:KeyEncryptionCertificatePath"] = pfx,
                ["DataProtection:KeyEncryptionCertificatePassword"] = "pw",
            };
            using var api = KeyRings.Process(container, azurite.ConnectionString, settings);
            using var silo = KeyRings.Process(container, azurite.ConnectionString, settings);
            var sealedSecret = KeyRings.Protector(api).Seal(TenantId, new Secret("the-client-secret"));

            Assert.Equal("the-client-secret", KeyRings.Protector(silo).Unseal(TenantId, sealedSecret).Reveal());
            var keyXml = string.Concat(await Task.WhenAll(container.GetBlobsAsync().ToBlockingEnumerable()
                .Select(async item => (await container.GetBlobClient(item.Name).DownloadContentAsync()).Value.Content.ToString())));
            Assert.Contains("EncryptedData", keyXml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", keyXml, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pfx);
        }
    }
}
