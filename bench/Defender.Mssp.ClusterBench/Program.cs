using System.Text.Json;
using Defender.Mssp.ClusterBench;
using Microsoft.Extensions.Configuration;

// Failover, scale, throughput and bulk onboarding of the silo; see README.md. Prints figures, asserts nothing.
var options = new ConfigurationBuilder().AddCommandLine(args).Build().Get<BenchOptions>() ?? new BenchOptions();
string report;
object result;
switch (options.Scenario.ToLowerInvariant())
{
    case "failover":
    {
        Console.WriteLine($"cluster bench: {options.Silos} silos x {options.Tenants} tenants, poll interval {options.PollInterval}");
        await using var environment = await BenchEnvironment.StartAsync(options.Tenants);
        var failover = await new FailoverBenchmark(environment, options, Console.Out).RunAsync();
        (result, report) = (failover, failover.ToMarkdown());
        break;
    }

    case "scale":
    {
        Console.WriteLine($"scale bench: {options.Tenants} tenants on one silo, poll interval {options.PollInterval}, latency {options.Latency.TotalMilliseconds} ms");
        await using var environment = await BenchEnvironment.StartAsync(options.Tenants, ScaleBenchmark.TenantSpecFor(options));
        var scale = await new ScaleBenchmark(environment, options, Console.Out).RunAsync();
        (result, report) = (scale, scale.ToMarkdown(BenchResult.Machine()));
        break;
    }

    case "throughput":
    {
        Console.WriteLine($"throughput bench: {options.ThroughputTenants} tenant(s), {options.Backlog} alerts of backlog each");
        await using var environment = await BenchEnvironment.StartAsync(options.ThroughputTenants, ThroughputBenchmark.TenantSpecFor(options));
        var throughput = await new ThroughputBenchmark(environment, options, Console.Out).RunAsync();
        (result, report) = (throughput, throughput.ToMarkdown(BenchResult.Machine()));
        break;
    }

    case "onboard":
    {
        Console.WriteLine($"onboarding bench: {options.Tenants} tenants through the API onto {options.Silos} silo(s), poll interval {options.PollInterval}");
        await using var environment = await BenchEnvironment.StartAsync(options.Tenants);
        var onboard = await new OnboardBenchmark(environment, options, Console.Out).RunAsync();
        (result, report) = (onboard, onboard.ToMarkdown(BenchResult.Machine()));
        break;
    }

    default:
        throw new ArgumentException($"Unknown scenario '{options.Scenario}': failover, scale, throughput or onboard.");
}

Console.WriteLine();
Console.WriteLine(report);
if (options.Report is { Length: > 0 } path)
{
    await File.WriteAllTextAsync(path, report);
}

if (options.Json is { Length: > 0 } json)
{
    await File.WriteAllTextAsync(json, JsonSerializer.Serialize(result, result.GetType(), new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
}
