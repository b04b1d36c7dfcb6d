namespace Defender.Mssp.Silo.FailPoints;

/// <summary>
/// The <c>FailPoints</c> section: deliberate crashes at the exact moments the delivery guarantee is about, for the
/// crash tests. Off unless configured; a production configuration never sets them.
/// </summary>
public sealed class FailPointOptions
{
    public const string SectionName = "FailPoints";

    /// <summary>
    /// Kill the process (SIGKILL, no cleanup) right after the N-th batch the sink acknowledged, before the grain can
    /// write the checkpoint that passes it. 0 = never.
    /// </summary>
    public int KillAfterSinkWrites { get; set; }
}
