using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Storage;

internal static partial class InDoubtWriteLog
{
    [LoggerMessage(1, LogLevel.Information,
        "State {Key} is at ETag {StoredETag}, not {ExpectedETag}, because an earlier write of this grain landed although its answer was lost; writing again")]
    public static partial void OwnWriteLanded(ILogger logger, string key, string? expectedETag, string storedETag);
}
