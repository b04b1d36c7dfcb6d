namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>One kill of the chaos test: after <see cref="Gap"/>, SIGKILL the silo in <see cref="Slot"/>, leave it dead for
/// <see cref="Down"/>, then start its successor — armed to kill itself after <see cref="FailPointAfter"/> sink writes
/// (right before the checkpoint that would cover them) when that is more than zero.</summary>
public sealed record ChaosKill(TimeSpan Gap, int Slot, TimeSpan Down, int FailPointAfter);

/// <summary>
/// The chaos test's schedule, drawn from one seed so that a run's choices can be repeated: which silo dies when, how
/// long it stays dead, whether its successor carries the fail point, and when storage restarts (once, somewhere in the
/// middle third to two thirds of the run).
/// </summary>
public sealed class ChaosPlan
{
    public static readonly TimeSpan MinGap = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan MaxGap = TimeSpan.FromSeconds(25);
    public static readonly TimeSpan MaxDown = TimeSpan.FromSeconds(6);

    /// <summary>Share of restarted silos armed with the fail point.</summary>
    public const double FailPointShare = 1.0 / 3;

    public const int MinFailPointWrites = 5;
    public const int MaxFailPointWrites = 60;

    private ChaosPlan(TimeSpan storageRestartAt, IReadOnlyList<ChaosKill> kills)
    {
        StorageRestartAt = storageRestartAt;
        Kills = kills;
    }

    /// <summary>When (from the start of the chaos) storage is restarted, before the next kill.</summary>
    public TimeSpan StorageRestartAt { get; }

    /// <summary>More kills than the run can reach; it stops taking them when its time is up.</summary>
    public IReadOnlyList<ChaosKill> Kills { get; }

    public static ChaosPlan Create(int seed, TimeSpan duration, int slots)
    {
        var random = new Random(seed);
        var storageRestartAt = duration * (1.0 / 3 + random.NextDouble() / 3);
        var kills = new List<ChaosKill>();
        for (var planned = TimeSpan.Zero; planned < duration; )
        {
            var gap = MinGap + (MaxGap - MinGap) * random.NextDouble();
            var slot = random.Next(slots);
            var down = MaxDown * random.NextDouble();
            var failPoint = random.NextDouble() < FailPointShare ? random.Next(MinFailPointWrites, MaxFailPointWrites + 1) : 0;
            kills.Add(new ChaosKill(gap, slot, down, failPoint));
            planned += gap;
        }

        return new ChaosPlan(storageRestartAt, kills);
    }
}
