using System.Diagnostics;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks;

namespace Defender.Mssp.Silo.FailPoints;

/// <summary>
/// Wraps the real sink and kills the process right after its N-th acknowledged batch: the window between "delivered"
/// and "checkpoint written" that the at-least-once guarantee must survive.
/// </summary>
internal sealed partial class KillAfterSinkWritesSink(IRecordSink inner, int killAfter, ILogger<KillAfterSinkWritesSink> logger)
    : IRecordSink
{
    private int _writes;

    public async Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        await inner.DeliverAsync(tenantId, source, records, cancellationToken).ConfigureAwait(false);
        if (Interlocked.Increment(ref _writes) == killAfter)
        {
            LogKilling(logger, killAfter, tenantId, source, records.Count);
            // The console logger writes on a background thread that SIGKILL would cut short: say it synchronously too.
            Console.Error.WriteLine($"Fail point: killing the silo after sink write {killAfter}");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fail point: killing the silo after sink write {Count} ({TenantId}/{Source}, {Records} records), before its checkpoint")]
    private static partial void LogKilling(ILogger logger, int count, string tenantId, string source, int records);
}
