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

await builder.Build().RunAsync(stopping => SinkWatcher.WatchAsync(sinkFolder, tenants, TimeSpan.FromSeconds(5), stopping));
