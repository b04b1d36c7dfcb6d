namespace Defender.Simulator.Records;

/// <summary>The identifiers of SIEM detections, shaped like the real ones (seed 003).</summary>
internal static class SiemIds
{
    /// <summary>
    /// <c>da{ticks}_{number}</c>: the real AlertIds start with "da" and the .NET ticks of the alert
    /// (da637370718981685665_16349121 is 2020-09-30 14:11 UTC).
    /// </summary>
    public static string AlertId(ulong alertSeed, DateTimeOffset alertTime)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive(alertSeed, "alert-id"));
        return "da" + alertTime.UtcTicks + "_" + random.NextDigits(random.Next(8, 11));
    }

    /// <summary>A base64 hash identifying the detection (indicator) within its alert.</summary>
    public static string IocUniqueId(ulong alertSeed, int part) =>
        new DeterministicRandom(DeterministicRandom.Derive(alertSeed, 0x10C0UL + (ulong)part)).NextBase64(32);

    public static string FullId(string alertId, string iocUniqueId) => alertId + ":" + iocUniqueId;
}
