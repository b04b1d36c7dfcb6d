using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Defender.Mssp.IntegrationTests.Dashboard;

/// <summary>
/// The operator dashboard in real headless Chromium against the real system: the management API on Kestrel, a silo
/// process, the simulator and Azurite. An Admin signs in, watches the demo tenants turn Healthy (and one whose
/// credentials the token endpoint rejects turn AuthFailed), pauses one and sees its grain report Paused, and opens
/// tenants' details; a Reader sees the actions refused with a reason. Screenshots are saved under the test project's
/// TestResults/dashboard.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class DashboardBrowserTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>For what real processes reach in their own time (a silo starting, first polls, a pause reaching the grain).</summary>
    private const float Patience = 45_000;

    private static readonly GeneratorSpec Demo = new()
    {
        History = TimeSpan.FromMinutes(10),
        IncidentsPerMinute = 6,
        SiemAlertsPerMinute = 12,
        VisibilityDelay = TimeSpan.FromSeconds(1),
    };

    private static readonly string ArtifactFolder =
        Path.Combine(RepositoryPaths.Root, "tests", "Defender.Mssp.IntegrationTests", "TestResults", "dashboard");

    private readonly string _sinkFolder = Directory.CreateTempSubdirectory("defender-dashboard-").FullName;
    private DashboardApiHost? _api;
    private SiloProcess? _silo;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            output.WriteLine(_silo.Output.Length > 8_000 ? _silo.Output[^8_000..] : _silo.Output);
            await _silo.DisposeAsync();
        }

        if (_api is not null)
        {
            output.WriteLine("API warnings: " + _api.Problems);
            await _api.DisposeAsync();
        }

        Directory.Delete(_sinkFolder, recursive: true);
    }

    [Fact]
    public async Task An_operator_signs_in_sees_tenants_turn_healthy_pauses_one_and_opens_another()
    {
        HeadlessChromium.EnsureInstalled();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Step(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,5:F1} s  {what}");

        // Demo tenants: registered in the simulator, onboarded through the API. One name is markup, which must show as text.
        var tenants = new[] { "Contoso Retail", "Fabrikam <b>Health</b> & Co", "Northwind Traders" }
            .Select(name => (Tenant: TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret()), Name: name))
            .ToList();
        foreach (var (tenant, _) in tenants)
        {
            await tenant.RegisterAsync(simulator, Demo);
        }

        var rejected = (Tenant: TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret()), Name: "Tailspin Toys");
        await rejected.Tenant.RegisterAsync(simulator, Demo);
        await simulator.Admin.AddFaultAsync(rejected.Tenant.TenantId, new FaultSpec { Source = SimulatorFaultSource.Token, Status = 401 });

        Step("tenants registered in the simulator");
        var container = AzuriteFixture.UniqueContainerName("dashboard");
        _api = new DashboardApiHost(azurite, container, _sinkFolder, new Dictionary<string, string>
        {
            // Test-sized history: a bar per 5 s and a sample every 2 s, so the charts fill within the test.
            ["Api:Dashboard:SampleInterval"] = "00:00:02",
            ["Api:Dashboard:RefreshInterval"] = "00:00:01",
            ["Api:Dashboard:MaxSnapshotAge"] = "00:00:00.500",
            ["Api:Dashboard:BucketWidth"] = "00:00:05",
            ["Api:Dashboard:HistoryWindow"] = "00:05:00",
        });
        _api.Start();
        Step($"API and dashboard at {_api.BaseAddress}");
        _silo = SiloProcess.Start("silo-dashboard", new SiloEnvironment(azurite, simulator, container, _sinkFolder).With());

        var admin = _api.Client(_api.AdminKey);
        var onboarding = tenants.Append(rejected).Select(t => new
        {
            tenantId = t.Tenant.TenantId,
            clientId = t.Tenant.ClientId,
            clientSecret = t.Tenant.ConfiguredSecret,
            displayName = t.Name,
            pollInterval = "00:00:02",
            initialLookback = "00:10:00",
        });
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/tenants/bulk?atomic=true", JsonContent.Create(onboarding))).StatusCode);

        Step("system up, tenants onboarded");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var pageErrors = new List<string>();
        var page = await NewPageAsync(chromium, pageErrors);

        Step("browser up");
        // 1. Sign in with the Admin key.
        await page.GotoAsync(_api.BaseAddress.ToString());
        await page.GetByLabel("API key").FillAsync(_api.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#session-role")).ToHaveTextAsync("Admin");

        Step("signed in");
        // 2. Every demo tenant turns Healthy in the table, its name shown as text, all owned by the one live silo; the
        // tenant whose credentials are rejected needs attention.
        foreach (var (tenant, _) in tenants)
        {
            await Expect(HealthCell(page, tenant)).ToHaveTextAsync("Healthy", new() { Timeout = Patience });
        }

        await Expect(HealthCell(page, rejected.Tenant).Locator(".badge").First).ToHaveTextAsync("Auth failed", new() { Timeout = Patience });

        await Expect(Row(page, tenants[1].Tenant).Locator(".tenant-link")).ToHaveTextAsync(tenants[1].Name);
        await Expect(page.Locator("#tenants-body b")).ToHaveCountAsync(0);
        await Expect(page.Locator(".silo-live")).ToHaveCountAsync(1);
        await Expect(page.Locator(".silo-live .chip")).ToHaveCountAsync(tenants.Count + 1, new() { Timeout = Patience });

        Step("tenants healthy");
        // Sorting by name orders the rows alphabetically, and again reversed; the filters narrow the rows.
        var names = page.Locator("#tenants-body tr .tenant-link");
        var alphabetical = tenants.Append(rejected).Select(t => t.Name).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        await page.Locator("#tenants-head button[data-column='name']").ClickAsync();
        await Expect(names).ToHaveTextAsync(alphabetical);
        await Expect(page.Locator("#tenants-head th").First).ToHaveAttributeAsync("aria-sort", "ascending");
        await page.Locator("#tenants-head button[data-column='name']").ClickAsync();
        await Expect(names).ToHaveTextAsync(alphabetical.Reverse().ToArray());
        await page.GetByLabel("Filter by name or tenant id").FillAsync("northwind");
        await Expect(names).ToHaveTextAsync([tenants[2].Name]);
        await page.GetByLabel("Filter by name or tenant id").FillAsync(rejected.Tenant.TenantId.ToString()[..8]);
        await Expect(names).ToHaveTextAsync([rejected.Name]);
        await page.GetByLabel("Filter by name or tenant id").FillAsync("");
        await page.Locator("#filter-attention").CheckAsync();
        await Expect(names).ToHaveTextAsync([rejected.Name]);
        await page.Locator("#filter-attention").UncheckAsync();
        await Expect(names).ToHaveCountAsync(tenants.Count + 1);

        Step("sorted and filtered");
        // 3. Pause one: the row shows the request at once and Paused when the owning grain has applied it.
        var paused = tenants[0].Tenant;
        await Row(page, paused).Locator("button[data-action='pause']").ClickAsync();
        await Expect(HealthCell(page, paused)).ToHaveTextAsync("Paused", new() { Timeout = Patience });
        await Expect(Row(page, paused).Locator("button[data-action='resume']")).ToBeVisibleAsync();

        Step("paused");
        // The charts draw what the API observed: records delivered and completed polls.
        await Expect(page.Locator("#chart-polls rect.bar-part").First).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(page.Locator("#chart-records rect.bar-part").First).ToBeVisibleAsync(new() { Timeout = Patience });
        await SaveScreenshotAsync(page, "dashboard-overview.png");

        Step("charts drawn");
        // 4. Open another tenant: its sources and status come from the API.
        var opened = tenants[1];
        await Row(page, opened.Tenant).Locator(".tenant-link").ClickAsync();
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync(opened.Name);
        await Expect(page.Locator("#detail-view [data-col='health']")).ToHaveTextAsync("Healthy");
        await Expect(page.Locator("#detail-view").GetByRole(AriaRole.Rowheader, new() { Name = "incidents" })).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-view").GetByRole(AriaRole.Rowheader, new() { Name = "siem" })).ToBeVisibleAsync();
        await SaveScreenshotAsync(page, "dashboard-tenant-detail.png");

        Step("detail shown");
        // The failing tenant's detail shows the error its grain recorded and the errors the dashboard observed.
        await page.GetByRole(AriaRole.Link, new() { Name = "← All tenants" }).ClickAsync();
        await Row(page, rejected.Tenant).Locator(".tenant-link").ClickAsync();
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync(rejected.Name);
        await Expect(page.Locator("#detail-view .error-item").First).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-view table").Filter(new() { HasText = "Errors observed" }).Locator("tbody tr").First)
            .ToBeVisibleAsync(new() { Timeout = Patience });
        await SaveScreenshotAsync(page, "dashboard-failing-tenant.png");

        foreach (var (tenant, _) in tenants.Append(rejected))
        {
            Assert.DoesNotContain(tenant.ConfiguredSecret, await page.ContentAsync(), StringComparison.Ordinal);
        }

        Step("failing detail shown");
        // 5. A Reader sees the same fleet, and the actions refused with the reason.
        var readerErrors = new List<string>();
        var readerPage = await NewPageAsync(chromium, readerErrors);
        await readerPage.GotoAsync(_api.BaseAddress.ToString());
        await readerPage.GetByLabel("API key").FillAsync(_api.ReaderKey);
        await readerPage.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(readerPage.Locator("#session-role")).ToHaveTextAsync("Reader · read-only");
        var readerPause = Row(readerPage, tenants[2].Tenant).Locator("button[data-action='pause']");
        await Expect(readerPause).ToHaveAttributeAsync("aria-disabled", "true");
        await readerPause.ClickAsync(new() { Force = true }); // Playwright treats aria-disabled as not clickable; a person can.
        await Expect(readerPage.Locator("#toasts")).ToContainTextAsync("needs an Admin key");
        Assert.False(await IsPausedAsync(admin, tenants[2].Tenant));

        Step("reader refused");
        Assert.Empty(pageErrors);
        Assert.Empty(readerErrors);
    }

    private static async Task<IPage> NewPageAsync(HeadlessChromium chromium, List<string> errors)
    {
        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 }, Locale = "en-GB" });
        var page = await context.NewPageAsync();

        // Script errors and Content-Security-Policy violations both reach the console as errors.
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return page;
    }

    private static ILocator Row(IPage page, TestTenant tenant) => page.Locator($"#tenants-body tr[data-tenant-id='{tenant.TenantId}']");

    private static ILocator HealthCell(IPage page, TestTenant tenant) => Row(page, tenant).Locator("[data-col='health']");

    private static async Task<bool> IsPausedAsync(HttpClient admin, TestTenant tenant) =>
        (await admin.GetFromJsonAsync<JsonObject>($"/tenants/{tenant.TenantId}"))!["paused"]!.GetValue<bool>();

    private async Task SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactFolder);
        var path = Path.Combine(ArtifactFolder, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
