using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Defender.Mssp.Runtime.Cluster;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Bulk onboarding through the management API: S silos run with no tenants; N tenants (each one a tenant in the
/// simulator) are posted to <c>POST /tenants/bulk</c> in chunks of at most the API's row limit, one request after
/// another as an operator's script would; then the bench waits until the silos own every tenant and every tenant's
/// API has been called once. Who was polled when comes from the simulator's call log; ownership from heartbeats.
/// </summary>
internal sealed class OnboardBenchmark(BenchEnvironment environment, BenchOptions options, TextWriter log)
{
    /// <summary>The API's default row limit per bulk request (<c>Api:Limits:MaxBulkRows</c>).</summary>
    public const int ApiMaxBulkRows = 5_000;

    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    public async Task<OnboardResult> RunAsync()
    {
        if (options.BulkChunk is < 1 or > ApiMaxBulkRows)
        {
            throw new ArgumentException($"--BulkChunk must be between 1 and {ApiMaxBulkRows} (the API's Api:Limits:MaxBulkRows).");
        }

        var csv = options.BulkFormat.ToLowerInvariant() switch
        {
            "json" => false,
            "csv" => true,
            _ => throw new ArgumentException($"Unknown --BulkFormat '{options.BulkFormat}': json or csv."),
        };
        var tenants = environment.TenantIds;
        var n = tenants.Count;
        var cluster = new ClusterOptions();
        var membership = new MembershipTable(environment.Container, cluster.SiloPrefix, options.Cluster.TryGetValue("SiloStaleAfter", out var stale) ? TimeSpan.Parse(stale, CultureInfo.InvariantCulture) : cluster.SiloStaleAfter);
        var silos = new List<SiloInstance>();
        await using var api = await BenchApi.StartAsync(environment, options, options.PhaseTimeout);
        try
        {
            // 1. The API and S silos with no tenants, every silo's heartbeat live.
            for (var i = 1; i <= options.Silos; i++)
            {
                var name = $"silo-{i}";
                silos.Add(SiloInstance.Start(name, environment.ContentRootFor(name, options, [], extra: null)));
            }

            await WaitAsync("every silo's heartbeat live", silos, async () => (await FailoverBenchmark.OwnedAsync(membership, except: null)).Count == options.Silos);
            await Task.Delay(TimeSpan.FromSeconds(5));   // past start-up: its CPU is not the run's
            var api0 = ProcessStats.Read(api.Process.ProcessId);
            var silos0 = silos.Select(s => ProcessStats.Read(s.ProcessId)).ToList();
            var storage0 = environment.AzuriteRequests.Snapshot();
            log.WriteLine($"API and {options.Silos} silo(s) up; posting {n:N0} tenants as {(csv ? "CSV" : "JSON")} in chunks of {options.BulkChunk:N0}");

            // 2. The bulk requests, one after another.
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var requests = new List<BulkRequestFigures>();
            var acceptedAt = new Dictionary<Guid, DateTimeOffset>();
            foreach (var chunk in tenants.Chunk(options.BulkChunk))
            {
                var sent = clock.Elapsed;
                using HttpContent content = csv ? CsvBody(chunk, requests.Count * options.BulkChunk) : JsonBody(chunk, requests.Count * options.BulkChunk);
                using var response = await api.Client.PostAsync("tenants/bulk", content);
                var body = await response.Content.ReadAsStringAsync();
                var took = clock.Elapsed - sent;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"POST /tenants/bulk answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}\n{api.Process.Tail}");
                }

                using var result = JsonDocument.Parse(body);
                var created = result.RootElement.GetProperty("created").GetArrayLength();
                var rejected = result.RootElement.GetProperty("rejected").GetArrayLength();
                requests.Add(new BulkRequestFigures(chunk.Length, created, rejected, took.TotalSeconds));
                var answered = DateTimeOffset.UtcNow;
                foreach (var id in chunk)
                {
                    acceptedAt[id] = answered;
                }

                log.WriteLine($"  request {requests.Count}: {created:N0} created, {rejected:N0} rejected in {took.TotalSeconds:F1} s");
            }

            var bulk = clock.Elapsed;
            var apiAfterBulk = ProcessStats.Read(api.Process.ProcessId);

            // 3. Until the silos own every tenant and every tenant has been polled once.
            TimeSpan? owned = null;
            var lastReport = TimeSpan.Zero;
            await WaitAsync("every tenant owned and polled once", silos, async () =>
            {
                if (owned is null && (await FailoverBenchmark.OwnedAsync(membership, except: null)).Values.Sum() >= n)
                {
                    owned = clock.Elapsed;
                    log.WriteLine($"  silos own all {n:N0} tenants after {owned.Value.TotalSeconds:F1} s");
                }

                var polled = (await environment.Admin.GetAllStatsAsync()).Tenants.Count(t => t.ApiCalls.Count > 0);
                if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
                {
                    lastReport = clock.Elapsed;
                    log.WriteLine($"  {polled:N0} of {n:N0} tenants polled after {clock.Elapsed.TotalSeconds:F0} s");
                }

                return owned is not null && polled >= n;
            });
            var allPolled = clock.Elapsed;
            var api1 = ProcessStats.Read(api.Process.ProcessId);
            var silos1 = silos.Select(s => ProcessStats.Read(s.ProcessId)).ToList();
            var storage = AzuriteRequestCounter.Delta(storage0, environment.AzuriteRequests.Snapshot());
            // An empty answer is a read the saturated Azurite timed out, not silos owning nothing: ask a few times.
            var ownedAtEnd = await FailoverBenchmark.OwnedAsync(membership, except: null);
            for (var attempt = 1; attempt < 5 && ownedAtEnd.Count == 0; attempt++)
            {
                await Task.Delay(CheckEvery);
                ownedAtEnd = await FailoverBenchmark.OwnedAsync(membership, except: null);
            }


            // 4. When each tenant was first polled, from the simulator's call log.
            var firstPolls = await FirstPollsAsync(tenants);
            var sinceAccepted = firstPolls.Select(p => (p.Value - acceptedAt[p.Key]).TotalSeconds).Order().ToList();
            var sinceStart = firstPolls.Values.Select(t => (t - started).TotalSeconds).Order().ToList();
            return new OnboardResult
            {
                Tenants = n,
                Silos = options.Silos,
                Format = csv ? "csv" : "json",
                ChunkSize = options.BulkChunk,
                Requests = requests,
                BulkSeconds = bulk.TotalSeconds,
                OwnedSeconds = owned!.Value.TotalSeconds,
                AllPolledSeconds = allPolled.TotalSeconds,
                LastFirstPollSeconds = sinceStart[^1],
                FirstPollAfterAcceptedP50 = Percentile(sinceAccepted, 0.5),
                FirstPollAfterAcceptedP95 = Percentile(sinceAccepted, 0.95),
                FirstPollAfterAcceptedMax = sinceAccepted[^1],
                ApiCpuBulkSeconds = (apiAfterBulk.CpuTime - api0.CpuTime).TotalSeconds,
                ApiCpuSeconds = (api1.CpuTime - api0.CpuTime).TotalSeconds,
                ApiRssBeforeKb = api0.RssKb,
                ApiRssAfterKb = api1.RssKb,
                ApiPeakRssKb = api1.PeakRssKb,
                SiloFigures = silos.Select((s, i) => new SiloFigures(
                    s.Name, ownedAtEnd.Count == 0 ? null : ownedAtEnd.GetValueOrDefault(s.Name), (silos1[i].CpuTime - silos0[i].CpuTime).TotalSeconds,
                    silos0[i].RssKb, silos1[i].RssKb, silos1[i].PeakRssKb)).ToList(),
                StorageRequests = storage,
                PollInterval = options.PollInterval,
            };
        }
        finally
        {
            await Task.WhenAll(silos.Select(async silo =>
            {
                await silo.StopOrKillAsync(TimeSpan.FromSeconds(60));
                await silo.DisposeAsync();
            }));
        }
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private JsonContent JsonBody(Guid[] chunk, int offset) =>
        JsonContent.Create(chunk.Select((id, i) => new Dictionary<string, string>
        {
            ["tenantId"] = id.ToString(),
            ["displayName"] = $"Bench customer {offset + i}",
            ["clientId"] = environment.ClientId,
            ["clientSecret"] = environment.Secret,
            ["pollInterval"] = options.PollInterval.ToString("c", CultureInfo.InvariantCulture),
            ["initialLookback"] = "00:10:00",
        }).ToList());

    private StringContent CsvBody(Guid[] chunk, int offset)
    {
        var s = new StringBuilder("tenantId,clientId,clientSecret,displayName,pollInterval,initialLookback\n");
        for (var i = 0; i < chunk.Length; i++)
        {
            // The secret is base64: no comma or quote to escape.
            s.Append(CultureInfo.InvariantCulture, $"{chunk[i]},{environment.ClientId},{environment.Secret},Bench customer {offset + i},{options.PollInterval:c},00:10:00\n");
        }

        return new StringContent(s.ToString(), Encoding.UTF8, "text/csv");
    }

    private async Task<Dictionary<Guid, DateTimeOffset>> FirstPollsAsync(IReadOnlyList<Guid> tenants)
    {
        var first = new System.Collections.Concurrent.ConcurrentDictionary<Guid, DateTimeOffset>();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            var calls = (await environment.Admin.GetCallsAsync(id, ct)).Calls;
            first[id] = calls.Min(c => c.Time);
        });
        return new Dictionary<Guid, DateTimeOffset>(first);
    }

    private async Task WaitAsync(string what, IReadOnlyList<SiloInstance> silos, Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > options.PhaseTimeout || silos.Any(s => s.HasExited))
            {
                throw new TimeoutException($"Not reached within {options.PhaseTimeout} (or a silo exited): {what}.\n"
                    + string.Join('\n', silos.Select(s => $"--- {s.Name}\n{s.Tail}")));
            }

            await Task.Delay(CheckEvery);
        }
    }
}
