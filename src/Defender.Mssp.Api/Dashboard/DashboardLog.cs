namespace Defender.Mssp.Api.Dashboard;

/// <summary>The dashboard's log lines. They name times and counts, never a tenant's secret or a caller's key.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(2100, LogLevel.Warning, "The fleet could not be read from storage; serving the snapshot of {SnapshotAt:O}")]
    public static partial void FleetReadFailed(ILogger logger, Exception exception, DateTimeOffset snapshotAt);

    [LoggerMessage(2101, LogLevel.Warning, "The dashboard's sample of the fleet failed; the next one is due in {Interval}")]
    public static partial void SampleFailed(ILogger logger, Exception exception, TimeSpan interval);
}
