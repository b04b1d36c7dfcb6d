using System.Text.Json;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Secret = Defender.Mssp.Tenants.Secret;

namespace Defender.Mssp.Runtime.Tests.Tenants;

/// <summary>A tenant's sinks stored with their secrets sealed, unsealed for the silo with the tenant's settings.</summary>
public sealed class TenantSinkSealingTests
{
    private readonly TenantSecretProtector _protector = new(new EphemeralDataProtectionProvider());

    private static TenantSinks Sinks(string token, string header) => new(TenantSinkMode.Replace,
    [
        new TenantSink { Name = "json-lines" },
        new TenantSink
        {
            Name = "splunk", Kind = TenantSinkKind.SplunkHec, Url = new Uri("https://splunk.example.com:8088"), Token = new Secret(token),
            Headers = new Dictionary<string, Secret> { ["X-Tenant-Key"] = new(header) }, Index = "soc", SourceType = "defender:{source}", Gzip = true,
        },
        new TenantSink { Name = "arcsight", Kind = TenantSinkKind.Syslog, Host = "siem.example.com", Port = 6514, Format = "cef", Tls = true },
        new TenantSink { Name = "files", Kind = TenantSinkKind.Csv, Folder = "soc/contoso" },
    ]);

    [Fact]
    public void Stored_sinks_hold_no_secret_in_clear_and_unseal_to_what_was_given()
    {
        var tenantId = Documents.NewTenantId();
        var sinks = Sinks("hec-token-5b1e", "header-value-77c2");

        var stored = sinks.Seal(tenantId, _protector);
        var json = JsonSerializer.Serialize(Documents.New(tenantId) with { Sinks = stored }, TenantDocumentJson.Options);

        Assert.DoesNotContain("hec-token-5b1e", json, StringComparison.Ordinal);
        Assert.DoesNotContain("header-value-77c2", json, StringComparison.Ordinal);
        Assert.Contains("\"sealedToken\":", json, StringComparison.Ordinal);
        var unsealed = stored.Unseal(tenantId, _protector);
        Assert.Equal(sinks, unsealed);
        Assert.Equal("hec-token-5b1e", unsealed.Sinks[1].Token!.Reveal());
        Assert.Equal("header-value-77c2", unsealed.Sinks[1].Headers["x-tenant-key"].Reveal());
    }

    [Fact]
    public void A_sink_secret_does_not_unseal_for_another_tenant_nor_as_a_client_secret()
    {
        var tenantId = Documents.NewTenantId();
        var stored = Sinks("hec-token", "header").Seal(tenantId, _protector);

        Assert.Throws<SecretUnsealException>(() => stored.Unseal(Documents.NewTenantId(), _protector));
        Assert.Throws<SecretUnsealException>(() => _protector.Unseal(tenantId, stored.Sinks[1].SealedToken!));
        Assert.Throws<SecretUnsealException>(() => _protector.UnsealSinkSecret(tenantId, _protector.Seal(tenantId, new Secret("client-secret"))));
    }

    [Fact]
    public void The_settings_of_a_document_carry_its_sinks_unsealed_and_none_when_it_has_none()
    {
        var tenantId = Documents.NewTenantId();
        var credential = new SealedCredential { Sealed = _protector.Seal(tenantId, new Secret("client-secret")) };
        var document = Documents.New(tenantId, credential) with { Sinks = Sinks("t", "h").Seal(tenantId, _protector) };

        var settings = document.ToSettings(_protector);

        Assert.Equal(Sinks("t", "h"), settings.Sinks);
        Assert.Null((document with { Sinks = null }).ToSettings(_protector).Sinks);
        Assert.Throws<SecretUnsealException>(() => (document with { TenantId = Documents.NewTenantId() }).ToSettings(_protector));
    }

    [Fact]
    public void Sinks_compare_by_value_so_a_reread_is_no_change_but_a_new_token_is()
    {
        Assert.Equal(Sinks("a", "b"), Sinks("a", "b"));
        Assert.NotEqual(Sinks("a", "b"), Sinks("rotated", "b"));
        Assert.NotEqual(Sinks("a", "b"), Sinks("a", "rotated"));
        Assert.NotEqual(Sinks("a", "b"), Sinks("a", "b") with { Mode = TenantSinkMode.Add });
    }
}
