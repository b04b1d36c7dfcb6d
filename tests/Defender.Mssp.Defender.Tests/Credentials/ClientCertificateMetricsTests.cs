using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Telemetry;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ManualTimeProvider = Defender.Mssp.Defender.Tests.Fakes.ManualTimeProvider;

namespace Defender.Mssp.Defender.Tests.Credentials;

/// <summary>The certificate expiry gauges, fed by token requests through the real MSAL provider (token endpoint faked).</summary>
public sealed class ClientCertificateMetricsTests : IDisposable
{
    private const string MinimumGauge = "defender.credential.certificate.expires_in.min";
    private const string TenantGauge = "defender.credential.certificate.expires_in";
    private const string Resource = "https://api.security.microsoft.com";

    private static readonly DateTimeOffset Now = new(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, DateTimeOffset.UtcNow.Day, 0, 0, 0, TimeSpan.Zero);
    private static readonly X509Certificate2 SoonExpiring = ClientCertificates.Create("CN=soon", Now.AddDays(-10), Now.AddDays(12));
    private static readonly X509Certificate2 LaterExpiring = ClientCertificates.Create("CN=later", Now.AddDays(-10), Now.AddDays(200));

    private readonly ManualTimeProvider _time = new(Now);
    private readonly TestMeterFactory _meters = new();
    private readonly MetricCapture _capture;

    public ClientCertificateMetricsTests() => _capture = new MetricCapture(_meters);

    public void Dispose()
    {
        _capture.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task Each_tenants_certificate_expiry_is_a_per_tenant_gauge_and_the_soonest_is_the_minimum()
    {
        var (provider, _) = Create(TenantSeriesMode.Always);
        var soon = Tenant(SoonExpiring);
        var later = Tenant(LaterExpiring);

        await provider.GetTokenAsync(soon, Resource, false, default);
        await provider.GetTokenAsync(later, Resource, false, default);

        var perTenant = _capture.Observe(TenantGauge);
        Assert.Equal("s", _capture.UnitOf(TenantGauge));
        Assert.Equal(Seconds(soon), perTenant.Single(m => m.Tag("defender.tenant.id") == soon.TenantId).Value);
        Assert.Equal(Seconds(later), perTenant.Single(m => m.Tag("defender.tenant.id") == later.TenantId).Value);
        var minimum = Assert.Single(_capture.Observe(MinimumGauge));
        Assert.Equal(Seconds(soon), minimum.Value);
        Assert.Empty(minimum.Tags);
    }

    [Fact]
    public async Task Without_per_tenant_series_only_the_minimum_is_reported()
    {
        var (provider, _) = Create(TenantSeriesMode.Never);
        var soon = Tenant(SoonExpiring);

        await provider.GetTokenAsync(soon, Resource, false, default);

        Assert.Empty(_capture.Observe(TenantGauge));
        Assert.Equal(Seconds(soon), Assert.Single(_capture.Observe(MinimumGauge)).Value);
    }

    [Fact]
    public async Task A_tenant_leaves_the_gauges_when_it_moves_to_a_secret_or_stops_asking_for_tokens()
    {
        var (provider, metrics) = Create(TenantSeriesMode.Auto);
        var soon = Tenant(SoonExpiring);
        var later = Tenant(LaterExpiring);
        await provider.GetTokenAsync(soon, Resource, false, default);
        await provider.GetTokenAsync(later, Resource, false, default);

        await provider.GetTokenAsync(soon with { ClientCertificate = null, ClientSecret = new Secret("moved-to-a-secret") }, Resource, false, default);

        Assert.Equal(1, metrics.TrackedTenants);
        Assert.Equal(Seconds(later), Assert.Single(_capture.Observe(MinimumGauge)).Value);

        _time.Advance(DefenderTokenOptions.DefaultAppIdleTimeout + TimeSpan.FromMinutes(1));
        Assert.Empty(_capture.Observe(MinimumGauge));
        Assert.Equal(0, metrics.TrackedTenants);
    }

    [Fact]
    public async Task An_expired_certificate_reports_a_negative_time_to_expiry()
    {
        var (provider, _) = Create(TenantSeriesMode.Always);
        var soon = Tenant(SoonExpiring);
        await provider.GetTokenAsync(soon, Resource, false, default);

        _time.Advance(TimeSpan.FromDays(13));
        await provider.GetTokenAsync(soon, Resource, false, default);

        Assert.True(Assert.Single(_capture.Observe(MinimumGauge)).Value < 0);
    }

    private (MsalAccessTokenProvider Provider, ClientCertificateMetrics Metrics) Create(TenantSeriesMode series)
    {
        var endpoints = new DefenderEndpointsOptions();
        foreach (var (_, cloud) in endpoints.All())
        {
            cloud.AuthorityHost = new Uri("https://127.0.0.1:5443");
        }

        var tokenOptions = Options.Create(new DefenderTokenOptions { RetryOnceOn5xx = false });
        var metrics = new ClientCertificateMetrics(_meters, Options.Create(new DefenderTelemetryOptions { PerTenantSeries = series }), tokenOptions, _time);
        var provider = new MsalAccessTokenProvider(
            Options.Create(endpoints), tokenOptions, new FakeTokenEndpoint(), new TenantCredentialResolver(), _time,
            NullLogger<MsalAccessTokenProvider>.Instance, certificateMetrics: metrics);
        return (provider, metrics);
    }

    private static TenantSettings Tenant(X509Certificate2 certificate) => new()
    {
        TenantId = Guid.NewGuid().ToString(),
        ClientId = "cccccccc-0000-0000-0000-000000000001",
        ClientCertificate = TenantCertificate.FromPkcs12(ClientCertificates.ToPfx(certificate), null),
    };

    private double Seconds(TenantSettings tenant) => (tenant.ClientCertificate!.NotAfter - _time.GetUtcNow()).TotalSeconds;
}
