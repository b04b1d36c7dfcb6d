using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>What one chaos run did and what it found, for docs/reliability.md: printed and written as JSON and Markdown.</summary>
public sealed record ChaosFigures
{
    public required DateTimeOffset StartedAt { get; init; }

    public required int Seed { get; init; }

    public required double ChaosSeconds { get; init; }

    public required int Silos { get; init; }

    public required int Tenants { get; init; }

    public required double PollIntervalSeconds { get; init; }

    /// <summary>Silos killed with SIGKILL by the test at random moments.</summary>
    public required int Kills { get; init; }

    /// <summary>Silos that killed themselves (SIGKILL) right after a sink write, before its checkpoint: the fail point.</summary>
    public required int FailPointKills { get; init; }

    public int KillsSurvived => Kills + FailPointKills;

    public required int AzuriteRestarts { get; init; }

    public required double AzuriteDowntimeSeconds { get; init; }

    /// <summary>Silo processes started over the run, restarts included.</summary>
    public required int SiloIncarnations { get; init; }

    /// <summary>Record versions the API served (latest of each record) and the sink was checked for.</summary>
    public required int RecordsChecked { get; init; }

    public required int LinesDelivered { get; init; }

    public required int Missing { get; init; }

    /// <summary>Sink lines beyond the first copy of their record version, every one under the same idempotency key.</summary>
    public required int DuplicatesSeen { get; init; }

    public required int TenantsWithDuplicates { get; init; }

    /// <summary>From the end of the chaos until the sink held everything the API served.</summary>
    public required double SettleSeconds { get; init; }

    /// <summary>API calls in the simulator's logs checked for two silos polling one tenant at once.</summary>
    public required int CallsChecked { get; init; }

    public required long IsolationViolations { get; init; }

    public async Task<(string Json, string Markdown)> WriteAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "chaos-figures.json");
        var markdown = Path.Combine(directory, "chaos-figures.md");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        await File.WriteAllTextAsync(markdown, ToMarkdown());
        return (json, markdown);
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Chaos run of {StartedAt:yyyy-MM-dd HH:mm} UTC, seed {Seed}");
        text.AppendLine();
        text.AppendLine("| figure | value |");
        text.AppendLine("| --- | --- |");
        foreach (var (name, value) in new (string, string)[]
                 {
                     ("chaos duration", $"{ChaosSeconds:F0} s"),
                     ("silos / tenants / poll interval", $"{Silos} / {Tenants} / {PollIntervalSeconds:F0} s"),
                     ("kills survived (kill -9 by the test + fail point after a sink write)", $"{KillsSurvived} ({Kills} + {FailPointKills})"),
                     ("Azurite restarts (downtime)", $"{AzuriteRestarts} ({AzuriteDowntimeSeconds:F0} s)"),
                     ("silo processes started", SiloIncarnations.ToString(c)),
                     ("records checked against the ground truth", RecordsChecked.ToString(c)),
                     ("sink lines", LinesDelivered.ToString(c)),
                     ("missing", Missing.ToString(c)),
                     ("duplicates seen (all under a repeated idempotency key)", $"{DuplicatesSeen} in {TenantsWithDuplicates} tenants"),
                     ("settle time after the chaos", $"{SettleSeconds:F0} s"),
                     ("API calls checked for two owners at once", CallsChecked.ToString(c)),
                     ("isolation violations", IsolationViolations.ToString(c)),
                 })
        {
            text.AppendLine(c, $"| {name} | {value} |");
        }

        return text.ToString();
    }
}
