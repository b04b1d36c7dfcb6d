using System.Net;
using Defender.Mssp.TestKit.Simulation;
using static Defender.Simulator.Tests.SuccessorApis;

namespace Defender.Simulator.Tests;

/// <summary>A tenant definition chooses the APIs a simulated tenant serves.</summary>
public sealed class SourceSelectionTests
{
    [Fact]
    public async Task A_tenant_serves_only_its_sources_and_the_others_answer_403_with_an_empty_truth()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = TenantSpec.Create(Guid.NewGuid(), TestSimulator.ClientId, TestSimulator.Secret, TestSimulator.Quiet());
        await SimulatorTenantExtras.PutTenantAsync(sim.Http, tenant, ["graph-alerts", "siem"]);
        var graph = await sim.GetTokenAsync(tenant.TenantId, GraphResource);

        using var served = await sim.GetAsync("v1.0/security/alerts_v2?$top=5", graph);
        using var incidents = await sim.GetAsync("v1.0/security/incidents", graph);
        using var alerts = await sim.GetAsync("api/alerts?$top=5", await sim.GetTokenAsync(tenant.TenantId, EndpointResource));
        using var classic = await sim.GetAsync("api/incidents", await sim.GetTokenAsync(tenant.TenantId));

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, incidents.StatusCode);
        Assert.Equal("Forbidden", await ErrorCodeAsync(incidents));
        Assert.Equal(HttpStatusCode.Forbidden, alerts.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, classic.StatusCode);
        Assert.NotEmpty(await sim.Admin.GetTruthAsync(tenant.TenantId, "graph-alerts"));
        Assert.Empty(await sim.Admin.GetTruthAsync(tenant.TenantId, "graph-incidents"));
        Assert.Empty(await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents"));
    }

    [Fact]
    public async Task An_unknown_source_name_is_refused()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = TenantSpec.Create(Guid.NewGuid(), TestSimulator.ClientId, TestSimulator.Secret);

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => SimulatorTenantExtras.PutTenantAsync(sim.Http, tenant, ["graph-alerts", "graph-security"]));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("graph-security", error.Message);
    }

    [Fact]
    public async Task Truth_of_the_successor_sources_is_deterministic_for_a_seed()
    {
        await using var first = await TestSimulator.StartAsync();
        await using var second = await TestSimulator.StartAsync();
        var id = Guid.NewGuid();
        await first.AddTenantAsync(TestSimulator.Quiet(seed: 99), id);
        await second.AddTenantAsync(TestSimulator.Quiet(seed: 99), id);

        foreach (var source in new[] { "alerts", "graph-alerts", "graph-incidents" })
        {
            var a = await first.Admin.GetTruthAsync(id, source, includeRecords: true);
            var b = await second.Admin.GetTruthAsync(id, source, includeRecords: true);
            Assert.NotEmpty(a);
            Assert.Equal(a.Select(t => (t.Id, t.LastUpdateTime, t.Version, t.Record?.GetRawText())),
                b.Select(t => (t.Id, t.LastUpdateTime, t.Version, t.Record?.GetRawText())));
        }
    }
}
