using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// T tenants (one by default) each with a backlog of SIEM alerts (a day's worth, nothing new after the start):
/// records per second end to end — API pages → parse → JSON Lines sink, fsynced → checkpoint — from the silo's first
/// API call to the last record on disk. Baseline in the same run: the very pages the silo asked for (from the
/// simulator's call log), fetched again into memory and parsed with System.Text.Json, best of three; and the same
/// pages fetched again as the silo fetches them, as many at once, and thrown away: what this simulator can serve on
/// this machine to a client that does nothing else.
/// </summary>
internal sealed class ThroughputBenchmark(BenchEnvironment environment, BenchOptions options, TextWriter log)
{
    private const string SiemResource = "https://graph.windows.net";

    /// <summary>How many bytes of pages the parse-only baseline holds and times at once.</summary>
    private const long BaselineBatchBytes = 256L * 1024 * 1024;

    /// <summary>The simulator's default share of SIEM alerts that come as two detections (two records).</summary>
    private const double MultiDetectionShare = 0.2;

    private static readonly TimeSpan History = TimeSpan.FromDays(1);

    /// <summary>The silo's sink batch (<c>Polling:MaxBatchSize</c>), unless the environment sets another.</summary>
    private static int SinkBatchRecords =>
        int.TryParse(Environment.GetEnvironmentVariable("Polling__MaxBatchSize"), out var size) && size > 0 ? size : 500;

    /// <summary>How many pages the silo fetches at once (<c>Polling:MaxConcurrentBacklogSlices</c>), unless the environment sets another.</summary>
    private static int SiloConcurrentFetches =>
        int.TryParse(Environment.GetEnvironmentVariable("Polling__MaxConcurrentBacklogSlices"), out var count) && count > 0 ? count : 16;

    public static Func<Guid, string, string, TenantSpec> TenantSpecFor(BenchOptions options)
    {
        var stop = DateTimeOffset.UtcNow;
        return (id, clientId, secret) => TenantSpec.Create(id, clientId, secret, new GeneratorSpec
        {
            History = History,
            StopTime = stop,
            IncidentsPerMinute = 0,
            // A share of alerts has two detections, each its own record: arrivals are scaled so records ≈ backlog.
            SiemAlertsPerMinute = options.Backlog / History.TotalMinutes / (1 + MultiDetectionShare),
            SiemMultiDetectionShare = MultiDetectionShare,
            VisibilityDelay = TimeSpan.Zero,
            VisibilityJitter = TimeSpan.Zero,
        }) with
        {
            Faults = SimulatedLatency.Faults(options.Latency),
        };
    }

    public async Task<ThroughputResult> RunAsync()
    {
        var tenants = environment.TenantIds;
        long expected = 0;
        foreach (var tenant in tenants)
        {
            expected += await environment.CountTruthAsync(tenant, "siem");
        }

        log.WriteLine($"backlog: {expected:N0} SIEM alerts in all, {tenants.Count:N0} tenant(s) × about {options.Backlog:N0} each");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["Polling:Jitter"] = "0" };
        // A short interval so that every tenant's first poll comes within seconds of the start.
        var throughputOptions = new BenchOptions { PollInterval = TimeSpan.FromSeconds(2), Cluster = options.Cluster };
        var root = environment.ContentRootFor("silo-1", throughputOptions, tenants, settings, sources: ["siem"], initialLookback: History + TimeSpan.FromHours(1));
        var storage0 = environment.AzuriteRequests.Snapshot();
        var counter = new SinkLineCounter(environment.SinkFolder);
        var azurite = AzuriteProcess.Find();
        var azurite0 = azurite is { } a0 ? ProcessStats.Read(a0).CpuTime : TimeSpan.Zero;
        var silo = SiloInstance.Start("silo-1", root);
        var stateProbe = new StateBlobProbe(environment.Container);
        long delivered;
        DateTimeOffset doneAt;
        var samples = new List<(DateTimeOffset At, ProcessStats Stats, TimeSpan BenchCpu, long Delivered)>();
        try
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                var stats = ProcessStats.Read(silo.ProcessId);
                delivered = counter.Count();
                samples.Add((DateTimeOffset.UtcNow, stats, ProcessStats.Read(Environment.ProcessId).CpuTime, delivered));
                if (tenants.Count == 1 && samples.Count % 5 == 0)
                {
                    await stateProbe.ProbeAsync();
                }

                if (delivered >= expected)
                {
                    doneAt = DateTimeOffset.UtcNow;
                    break;
                }

                if (samples.Count % 50 == 0)
                {
                    log.WriteLine($"  {delivered:N0} of {expected:N0} records on disk after {watch.Elapsed.TotalSeconds:F0} s");
                }

                if (silo.HasExited || watch.Elapsed > options.PhaseTimeout)
                {
                    throw new TimeoutException($"{delivered:N0} of {expected:N0} records delivered after {watch.Elapsed}.\n{silo.Tail}");
                }
            }

            var final = ProcessStats.Read(silo.ProcessId);
            var benchCpu = ProcessStats.Read(Environment.ProcessId).CpuTime;
            var calls = new List<(Guid Tenant, SimulatorCall Call)>();
            foreach (var tenant in tenants)
            {
                var callLog = await environment.Admin.GetCallsAsync(tenant);
                if (callLog.Total > callLog.Calls.Count)
                {
                    log.WriteLine($"  warning: the simulator kept {callLog.Calls.Count} of {callLog.Total} calls of {tenant}; the baseline misses the oldest pages");
                }

                calls.AddRange(callLog.Calls.Where(c => c.Source == "siem" && c.Time <= doneAt).Select(c => (tenant, c)));
            }

            calls.Sort((a, b) => a.Call.Time.CompareTo(b.Call.Time));
            var firstCall = calls[0].Call.Time - options.Latency;
            var endToEnd = doneAt - firstCall;
            // The silo's CPU and memory from the last sample before its first API call: start-up is not the run.
            var start = samples.LastOrDefault(s => s.At <= firstCall, samples[0]);
            var before = start.Stats;
            // The second half of the records: the JIT has compiled (and re-compiled with profile data) what the run
            // needs by then, as in a silo that has run for days; the whole run counts it.
            var half = samples.First(s => s.Delivered >= expected / 2);
            var azuriteCpu = (azurite is { } a1 ? ProcessStats.Read(a1).CpuTime : TimeSpan.Zero) - azurite0;
            var storage = stateProbe.WithoutProbes(AzuriteRequestCounter.Delta(storage0, environment.AzuriteRequests.Snapshot()));
            await silo.StopOrKillAsync(TimeSpan.FromSeconds(30));
            log.WriteLine($"silo: {delivered:N0} records in {endToEnd.TotalSeconds:F1} s over {calls.Count} API calls; replaying them for the parse-only baseline");

            var pages = calls.Where(c => c.Call.Status == 200).ToList();
            ParseResult parse;
            ServeResult serve;
            // The replays are not held to the API's rate limits (the silo's run has just filled this minute's count):
            // the simulator's limits are off meanwhile, then put back.
            var limits = await environment.Throttling.GetAsync();
            await environment.Throttling.DisableAsync();
            try
            {
                parse = await ParseOnlyAsync(pages);
                log.WriteLine($"parse-only: {parse.Records:N0} records in {parse.ParseSeconds:F2} s; replaying the pages {SiloConcurrentFetches} at a time for the serve-only baseline");
                serve = await ServeOnlyAsync(pages);
            }
            finally
            {
                await environment.Throttling.PutAsync(limits);
            }

            var sinkBytes = counter.Bytes();
            var writeBatches = (int)Math.Ceiling(delivered / (double)SinkBatchRecords);
            var writeOnly = WriteOnly(sinkBytes, writeBatches);
            return new ThroughputResult
            {
                Tenants = tenants.Count,
                BacklogPerTenant = options.Backlog,
                Backlog = expected,
                Delivered = delivered,
                SinkBytes = sinkBytes,
                WriteOnlySeconds = writeOnly.TotalSeconds,
                WriteOnlyBatches = writeBatches,
                ApiCalls = calls.Count,
                EndToEndSeconds = endToEnd.TotalSeconds,
                SiloCpuSeconds = (final.CpuTime - before.CpuTime).TotalSeconds,
                BenchCpuSeconds = (benchCpu - start.BenchCpu).TotalSeconds,
                SecondHalfCpuSeconds = (final.CpuTime - half.Stats.CpuTime).TotalSeconds,
                SecondHalfRecords = delivered - half.Delivered,
                SiloRssBeforeKb = before.RssKb,
                SiloPeakRssKb = final.PeakRssKb,
                StorageRequests = storage,
                AzuriteCpuSeconds = azuriteCpu.TotalSeconds,
                LargestStateBlobBytes = stateProbe.LargestBytes,
                LatencyMs = options.Latency.TotalMilliseconds,
                Parse = parse,
                Serve = serve,
            };
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    /// <summary>
    /// Fetches the silo's pages again into memory, then times parsing them (best of three). A million-alert backlog is
    /// a gigabyte or more of pages, so they are held and timed a batch of at most <see cref="BaselineBatchBytes"/> at a
    /// time; the parse time is the sum of each batch's best.
    /// </summary>
    private async Task<ParseResult> ParseOnlyAsync(IReadOnlyList<(Guid Tenant, SimulatorCall Call)> calls)
    {
        using var http = environment.CreateSimulatorClient();
        var tokens = new Dictionary<Guid, string>();
        var batch = new List<byte[]>();
        long batchBytes = 0, bytes = 0, records = 0;
        int pages = 0, batches = 0;
        var fetched = TimeSpan.Zero;
        var parsed = TimeSpan.Zero;
        var fetch = new Stopwatch();
        foreach (var (tenant, call) in calls)
        {
            fetch.Restart();
            if (!tokens.TryGetValue(tenant, out var token))
            {
                tokens[tenant] = token = await TokenAsync(http, tenant);
            }

            byte[] page;
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, call.Path.TrimStart('/') + call.Query);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                {
                    // A tenant with rate limits of its own keeps them while the simulator-wide ones are off: the
                    // replay waits them out, and that wait is not fetch time.
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5);
                    await Task.Delay(wait);
                    fetch.Restart();
                    continue;
                }

                response.EnsureSuccessStatusCode();
                page = await response.Content.ReadAsByteArrayAsync();
                break;
            }

            fetched += fetch.Elapsed;
            batch.Add(page);
            batchBytes += page.Length;
            if (batchBytes >= BaselineBatchBytes)
            {
                ParseBatch();
            }
        }

        ParseBatch();
        return new ParseResult
        {
            Pages = pages,
            Bytes = bytes,
            Records = records,
            Batches = batches,
            FetchSeconds = fetched.TotalSeconds,
            ParseSeconds = parsed.TotalSeconds,
        };

        void ParseBatch()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var (best, count) = BestOfThree(batch);
            (parsed, records, pages, bytes, batches) = (parsed + best, records + count, pages + batch.Count, bytes + batchBytes, batches + 1);
            batch.Clear();
            batchBytes = 0;
        }
    }

    /// <summary>
    /// Fetches the silo's pages again, <see cref="SiloConcurrentFetches"/> at a time as the silo does, reading each to
    /// its end and throwing it away: the most any client can get from this simulator on this machine.
    /// </summary>
    private async Task<ServeResult> ServeOnlyAsync(IReadOnlyList<(Guid Tenant, SimulatorCall Call)> calls)
    {
        using var http = environment.CreateSimulatorClient();
        var tokens = new Dictionary<Guid, string>();
        foreach (var tenant in calls.Select(c => c.Tenant).Distinct())
        {
            tokens[tenant] = await TokenAsync(http, tenant);
        }

        long bytes = 0;
        var cpu0 = ProcessStats.Read(Environment.ProcessId).CpuTime;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = SiloConcurrentFetches }, async (call, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, call.Call.Path.TrimStart('/') + call.Call.Query);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[call.Tenant]);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    Interlocked.Add(ref bytes, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });

        return new ServeResult
        {
            Pages = calls.Count,
            Bytes = bytes,
            Concurrency = SiloConcurrentFetches,
            Seconds = watch.Elapsed.TotalSeconds,
            BenchCpuSeconds = (ProcessStats.Read(Environment.ProcessId).CpuTime - cpu0).TotalSeconds,
        };
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> again beside the sink, in <paramref name="batches"/> appends each followed by an
    /// fsync as the JSON Lines sink does: what the disk alone allows, to set beside the end-to-end rate.
    /// </summary>
    private TimeSpan WriteOnly(long bytes, int batches)
    {
        var batch = new byte[(int)Math.Min(int.MaxValue, Math.Max(1, bytes / Math.Max(1, batches)))];
        Random.Shared.NextBytes(batch);
        var path = Path.Combine(environment.SinkFolder, "write-only-baseline.tmp");
        try
        {
            var watch = Stopwatch.StartNew();
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                for (var i = 0; i < batches; i++)
                {
                    file.Write(batch);
                    file.Flush(flushToDisk: true);
                }
            }

            return watch.Elapsed;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (TimeSpan Best, long Records) BestOfThree(IReadOnlyList<byte[]> pages)
    {
        var best = TimeSpan.MaxValue;
        long records = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            records = 0;
            var parse = Stopwatch.StartNew();
            foreach (var page in pages)
            {
                using var document = JsonDocument.Parse(page);
                foreach (var alert in document.RootElement.EnumerateArray())
                {
                    // What any reader needs of a record: its key and its time.
                    _ = alert.GetProperty("AlertId").GetString();
                    _ = alert.GetProperty("LastProcessedTimeUtc").GetString();
                    records++;
                }
            }

            best = parse.Elapsed < best ? parse.Elapsed : best;
        }

        return (best, records);
    }

    private async Task<string> TokenAsync(HttpClient http, Guid tenant)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = environment.ClientId,
            ["client_secret"] = environment.Secret,
            ["resource"] = SiemResource,
        });
        using var response = await http.PostAsync($"{tenant}/oauth2/token", form);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }
}
