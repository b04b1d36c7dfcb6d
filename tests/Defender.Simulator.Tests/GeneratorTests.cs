using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;
using Defender.Simulator.Hosting;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Tests;

public sealed class GeneratorTests
{
    [Fact]
    public async Task Same_seed_and_start_time_give_the_same_records_in_another_simulator()
    {
        var tenantId = Guid.NewGuid();
        var generator = TestSimulator.Quiet(seed: 7) with { StartTime = TestSimulator.Start.AddMinutes(-30), VisibilityJitter = TimeSpan.FromSeconds(30) };
        var first = await RecordsAsync(tenantId, generator, TimeSpan.FromMinutes(20));
        var second = await RecordsAsync(tenantId, generator, TimeSpan.FromMinutes(20));
        var otherSeed = await RecordsAsync(tenantId, generator with { Seed = 8 }, TimeSpan.FromMinutes(20));

        Assert.NotEmpty(first.Incidents);
        Assert.NotEmpty(first.Siem);
        Assert.Equal(first.Incidents, second.Incidents);
        Assert.Equal(first.Siem, second.Siem);
        Assert.NotEqual(first.Incidents, otherSeed.Incidents);
    }

    [Fact]
    public async Task Records_do_not_depend_on_when_or_how_often_they_are_read()
    {
        var tenantId = Guid.NewGuid();
        var generator = TestSimulator.Quiet(seed: 11);
        await using var sim = await TestSimulator.StartAsync();
        await sim.AddTenantAsync(generator with { StartTime = TestSimulator.Start }, tenantId);
        for (var i = 0; i < 6; i++)
        {
            sim.Clock.Advance(TimeSpan.FromMinutes(5));
            _ = await sim.Admin.GetTruthAsync(tenantId, "incidents");
        }

        await using var lazy = await TestSimulator.StartAsync(clock: new TestClock(TestSimulator.Start.AddMinutes(30)));
        await lazy.AddTenantAsync(generator with { StartTime = TestSimulator.Start }, tenantId);

        Assert.Equal(
            Keys(await sim.Admin.GetTruthAsync(tenantId, "incidents", includeRecords: true)),
            Keys(await lazy.Admin.GetTruthAsync(tenantId, "incidents", includeRecords: true)));
    }

    [Fact]
    public async Task Ground_truth_equals_what_the_apis_serve_once_the_world_is_stopped()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(new GeneratorSpec
        {
            Seed = 3,
            IncidentsPerMinute = 2,
            SiemAlertsPerMinute = 4,
            UpdatedIncidentShare = 0.5,
            VisibilityDelay = TimeSpan.FromSeconds(30),
            VisibilityJitter = TimeSpan.FromMinutes(2),
        });
        var incidentsToken = await sim.GetTokenAsync(tenant.TenantId);
        var siemToken = await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource);

        sim.Clock.Advance(TimeSpan.FromMinutes(10));
        var stop = await sim.Admin.StopGeneratorAsync(tenant.TenantId);
        sim.Clock.Advance(TimeSpan.FromMinutes(45));

        var truthIncidents = await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents", includeRecords: true);
        var truthSiem = await sim.Admin.GetTruthAsync(tenant.TenantId, "siem");
        var incidents = await sim.GetAllIncidentsAsync(incidentsToken);
        var siem = (await sim.GetJsonAsync($"api/alerts?sinceTimeUtc={Uri.EscapeDataString(Wire.Format(TestSimulator.Start.AddHours(-3)))}", siemToken)).EnumerateArray().ToList();

        Assert.Equal(sim.Clock.GetUtcNow().AddMinutes(-45), stop);
        Assert.All(truthIncidents, t => Assert.True(t.Visible && t.LastUpdateTime <= stop));
        var latest = truthIncidents.GroupBy(t => t.Id).Select(g => g.MaxBy(v => v.Version)!).OrderBy(t => int.Parse(t.Id)).ToList();
        Assert.Equal(
            latest.Select(t => (t.Id, t.LastUpdateTime)),
            incidents.Select(i => (i.GetProperty("incidentId").GetInt32().ToString(), Wire.Time(i, "lastUpdateTime"))));
        Assert.Equal(
            latest.Select(t => t.Record!.Value.GetRawText()),
            incidents.Select(i => i.GetRawText()));
        Assert.Equal(
            truthSiem.Select(t => (t.Id, t.LastUpdateTime)).Order(),
            siem.Select(a => (a.GetProperty("FullId").GetString()!, Wire.Time(a, "LastProcessedTimeUtc"))).Order());
        Assert.True(truthIncidents.Count > latest.Count, "some incidents should have been updated");
    }

    [Fact]
    public async Task Stopped_world_gets_no_new_records_or_updates()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet() with { UpdatedIncidentShare = 1 });
        await sim.Admin.StopGeneratorAsync(tenant.TenantId);
        var frozen = Keys(await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents"));

        sim.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(frozen, Keys(await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents")));
        Assert.Equal(TestSimulator.Start, (await sim.Admin.GetTenantAsync(tenant.TenantId))!.Generator.StopTime);
    }

    [Fact]
    public async Task History_gives_a_first_poll_a_backlog_starting_at_start_minus_history()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 2) with { History = TimeSpan.FromMinutes(30) });

        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents");

        Assert.InRange(truth.Count, 30, 100);
        Assert.All(truth, t => Assert.InRange(t.LastUpdateTime, TestSimulator.Start.AddMinutes(-30), TestSimulator.Start));
    }

    [Fact]
    public async Task Tenant_view_shows_effective_settings_and_hides_secret_values()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.Admin.PutTenantAsync(TenantSpec.Create(Guid.NewGuid(), TestSimulator.ClientId, TestSimulator.Secret));

        Assert.Equal(TestSimulator.Start, tenant.Generator.StartTime);
        Assert.NotNull(tenant.Generator.Seed);
        Assert.NotEmpty(tenant.Generator.MachineGroups!);
        var secret = Assert.Single(Assert.Single(tenant.Apps).Secrets);
        Assert.Null(secret.Value);
        Assert.Equal("s3c***", secret.Hint);
    }

    [Fact]
    public async Task Tenants_can_be_configured_at_start()
    {
        var tenantId = Guid.NewGuid();
        var options = new SimulatorOptions
        {
            Tenants =
            [
                new TenantDefinition
                {
                    TenantId = tenantId,
                    Apps = [new AppRegistration { ClientId = "configured-app", Secrets = [new ClientSecretDefinition { Value = "configured-secret" }] }],
                },
            ],
        };
        await using var sim = await TestSimulator.StartAsync(options);

        using var response = await sim.RequestTokenAsync(tenantId.ToString(), TestSimulator.V1Form(clientId: "configured-app", secret: "configured-secret"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<(List<string> Incidents, List<string> Siem)> RecordsAsync(Guid tenantId, GeneratorSpec generator, TimeSpan advance)
    {
        await using var sim = await TestSimulator.StartAsync();
        await sim.AddTenantAsync(generator, tenantId);
        sim.Clock.Advance(advance);
        return (
            Keys(await sim.Admin.GetTruthAsync(tenantId, "incidents", includeRecords: true)),
            Keys(await sim.Admin.GetTruthAsync(tenantId, "siem", includeRecords: true)));
    }

    private static List<string> Keys(IReadOnlyList<SimulatorTruthEntry> truth) =>
        [.. truth.Select(t => $"{t.Id}|{t.LastUpdateTime:O}|{t.VisibleAt:O}|{t.Record?.GetRawText()}")];
}
