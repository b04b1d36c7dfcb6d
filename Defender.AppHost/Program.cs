using Defender.AppHost;
using Defender.AppHost.Demo;
using Defender.AppHost.Hosting;
using Defender.AppHost.ManagementApi;

var commandLine = AppHostCommandLine.Parse(args);
if (commandLine.ShowHelp)
{
    Console.WriteLine(AppHostCommandLine.Usage);
    return 0;
}

var builder = DistributedApplication.CreateBuilder(commandLine.Settings);
var options = AppHostOptions.Create(builder.Configuration, out var errors);
if (commandLine.Errors.Concat(errors).ToList() is { Count: > 0 } problems)
{
    problems.ForEach(Console.Error.WriteLine);
    Console.Error.WriteLine("See --help.");
    return AppHostCommandLine.ExitCodeUsage;
}

IResourceWithConnectionString storage = options.StorageConnectionString is { } connectionString
    ? builder.AddConnectionString(AppHostOptions.StorageName, connectionString)
    : builder.AddAzurite(AppHostOptions.StorageName, options.StorageFolder);

var operatorKey = GeneratedApiKey.Create();
var appHostKey = GeneratedApiKey.Create();
var api = builder.AddProject("api", "src/Defender.Mssp.Api")
    .WithHttpEndpoint(options.ApiPort)
    .WithReference(storage)
    .WithAdminApiKeys(builder.Configuration, ("operator", operatorKey), ("apphost", appHostKey))
    .WithEnvironment("Sinks__JsonLines__Path", options.SinkPath)
    .WithEnvironment("TenantSinks__FolderRoot", options.TenantSinkFolder);

var silo = builder.AddProject("silo", "src/Defender.Mssp.Silo")
    .WithReplicas(options.Replicas)
    .WithReference(storage)
    .WithEnvironment("Sinks__JsonLines__Path", options.SinkPath)
    .WithEnvironment("TenantSinks__FolderRoot", options.TenantSinkFolder);

ProjectResource? simulator = null;
IReadOnlyList<DemoTenant> demoTenants = [];
if (options.NoSimulator)
{
    if (storage is AzuriteResource)
    {
        ConsoleLog.Info($"--no-simulator without --storage: state stays on this machine (Azurite in {options.StorageFolder})");
    }
}
else
{
    demoTenants = DemoTenant.Create(options.Tenants);
    var trust = DemoCertificate.Create(options.DemoFolder);
    simulator = builder.AddProject("simulator", "src/Defender.Simulator")
        .WithHttpsEndpoint()
        .WithEnvironment("Simulator__CertificatePath", trust.PfxPath)
        .WithDemoTenants(demoTenants);
    silo.WithDefenderEndpointsAt(simulator, trust.PemPath);
    var onboarding = new DemoOnboarding(demoTenants, DemoTenant.PollInterval, Path.Combine(options.DemoFolder, "onboarded-tenants.txt"));
    api.WithEnvironment("Api__Tenants__MinPollInterval", DemoTenant.MinPollInterval.ToString("c"))
        .OnReady((resource, cancellationToken) => onboarding.OnboardAsync(resource, appHostKey, cancellationToken));
}

foreach (var project in builder.Resources.OfType<ProjectResource>())
{
    project.WithConfiguration(commandLine.PassThrough);
}

var summary = new StartupSummary(options, api, silo, simulator, storage, operatorKey, builder.Configuration);
var sink = new SinkWatcher(options.SinkPath, demoTenants.ToDictionary(t => t.TenantId, t => t.DisplayName));
return await builder.Build().RunAsync(async stopping =>
{
    summary.Print();
    await sink.WatchAsync(SinkWatcher.DefaultInterval, stopping);
});
