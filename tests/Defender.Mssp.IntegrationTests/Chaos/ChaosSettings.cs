using System.Globalization;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// How long and how hard the chaos test runs, from environment variables so a developer can run it longer than CI
/// does: <c>CHAOS_DURATION_SECONDS</c> (default <see cref="DefaultDuration"/>), <c>CHAOS_SEED</c> (default: a fresh
/// one, printed, so a run can be repeated), <c>CHAOS_TENANTS</c> (default <see cref="DefaultTenants"/>) and
/// <c>CHAOS_FIGURES_DIR</c> (default <c>chaos/</c> under the test output folder).
/// </summary>
public sealed record ChaosSettings(TimeSpan Duration, int Seed, int Tenants, string FiguresDirectory)
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMinutes(3);

    public const int DefaultTenants = 100;

    public static ChaosSettings FromEnvironment() => new(
        TimeSpan.FromSeconds(Read("CHAOS_DURATION_SECONDS") ?? DefaultDuration.TotalSeconds),
        Read("CHAOS_SEED") is { } seed ? (int)seed : Random.Shared.Next(),
        (int)(Read("CHAOS_TENANTS") ?? DefaultTenants),
        Environment.GetEnvironmentVariable("CHAOS_FIGURES_DIR") is { Length: > 0 } directory
            ? directory
            : Path.Combine(AppContext.BaseDirectory, "chaos"));

    private static double? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
