using Microsoft.Extensions.Configuration;
using Defender.AppHost.Demo;
using Defender.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
var tenants = DemoTenant.Create(builder.Configuration.GetValue("tenants", 3));
var trust = DemoCertificate.Create(Path.Combine(ProjectPaths.RepositoryRoot, ".data", "apphost"));
var sinkFolder = Path.Combine(ProjectPaths.RepositoryRoot, ".data", "sink");

var storage = builder.AddAzurite("storage");

var simulator = builder.AddProject("simulator", "src/Defender.Simulator")
    .WithHttpsEndpoint()
    .WithEnvironment("Simulator__CertificatePath", trust.PfxPath)
    .WithDemoTenants(tenants);

builder.AddProject("silo", "src/Defender.Mssp.Silo")
    .WithReplicas(builder.Configuration.GetValue("replicas", 1))
    .WithReference(storage)
    .WithDefenderEndpointsAt(simulator, trust.PemPath)
    .WithTenants(tenants, TimeSpan.FromSeconds(10))
    .WithEnvironment("Sinks__JsonLines__Path", sinkFolder);

var apiKey = DemoApiKey.Create();
builder.AddProject("api", "src/Defender.Mssp.Api")
    .WithReference(storage)
    .WithEnvironment("Sinks__JsonLines__Path", sinkFolder)
    .WithEnvironment("Api__Authentication__ApiKeys__0__Name", "apphost-admin")
    .WithEnvironment("Api__Authentication__ApiKeys__0__Role", "Admin")
    .WithEnvironment("Api__Authentication__ApiKeys__0__Hash", apiKey.Hash)
    .WithEnvironment("Api__Tenants__MinPollInterval", "00:00:05");
ConsoleLog.Info($"management API admin key for this run (send as X-Api-Key): {apiKey.Key}");

await builder.Build().RunAsync(stopping => SinkWatcher.WatchAsync(sinkFolder, tenants, TimeSpan.FromSeconds(5), stopping));
