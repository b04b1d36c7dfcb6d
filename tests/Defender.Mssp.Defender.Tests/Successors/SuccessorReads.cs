using System.Text.Json;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Tests.Successors;

/// <summary>Reading a source in a test, and the checks every successor source shares.</summary>
internal static class SuccessorReads
{
    /// <summary>Everything the simulator has before its start time: a window over the whole backlog.</summary>
    public static readonly RecordWindow Backlog = new(SimulatedDefender.Start - TimeSpan.FromHours(3), SimulatedDefender.Start);

    public static async Task<List<DefenderRecord>> ReadAsync(IRecordSource source, TenantSettings tenant, RecordWindow window)
    {
        var records = new List<DefenderRecord>();
        await foreach (var record in source.ReadAsync(tenant, window, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>The read holds exactly the latest visible version of every record of the truth, each once.</summary>
    public static void AssertEqualsTruth(IReadOnlyCollection<DefenderRecord> read, IReadOnlyDictionary<string, DateTimeOffset> truth)
    {
        Assert.Equal(read.Count, read.Select(r => r.Key).Distinct().Count());
        Assert.Equal(truth.Keys.Order(StringComparer.Ordinal), read.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(read, r => Assert.Equal(truth[r.Id], r.LastUpdateTime));
    }

    /// <summary>
    /// Between a read and a later, overlapping one: records stamped before the first read that only became visible
    /// after it (late records), and records read again with a later last-update time (updates as new versions).
    /// </summary>
    public static void AssertLateRecordsAndNewVersions(
        IReadOnlyCollection<DefenderRecord> first, IReadOnlyCollection<DefenderRecord> second, DateTimeOffset firstReadAt)
    {
        var before = first.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Max(r => r.LastUpdateTime));
        Assert.Contains(second, r => !before.ContainsKey(r.Id) && r.LastUpdateTime < firstReadAt);
        var updated = second.Where(r => before.TryGetValue(r.Id, out var old) && r.LastUpdateTime > old).ToList();
        Assert.NotEmpty(updated);
        // A new version is a record of its own: the first version stays what it was, the SIEM upserts by id.
        Assert.All(updated, r => Assert.DoesNotContain(r.Key, first.Select(f => f.Key)));
    }

    public static JsonElement Json(DefenderRecord record) => JsonDocument.Parse(record.Raw).RootElement;
}
