using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Grains;

internal static partial class TenantGrainLog
{
    [LoggerMessage(40, LogLevel.Information,
        "Tenant {TenantId} source {Source} continues from {Predecessor}'s watermark {Watermark:O} instead of the initial look-back")]
    public static partial void SourceContinued(this ILogger logger, string tenantId, string source, string predecessor, DateTimeOffset? watermark);
}
