using Defender.Mssp.ClusterBench;
using Microsoft.Extensions.Configuration;

// Failover and join times of the silo cluster; see README.md. Prints figures, asserts nothing.
var options = new ConfigurationBuilder().AddCommandLine(args).Build().Get<BenchOptions>() ?? new BenchOptions();
Console.WriteLine($"cluster bench: {options.Silos} silos x {options.Tenants} tenants, poll interval {options.PollInterval}");

await using var environment = await BenchEnvironment.StartAsync(options.Tenants);
var result = await new FailoverBenchmark(environment, options, Console.Out).RunAsync();
var report = result.ToMarkdown();
Console.WriteLine();
Console.WriteLine(report);
if (options.Report is { Length: > 0 } path)
{
    await File.WriteAllTextAsync(path, report);
}
