using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Storage;

internal static partial class BlobGrainStorageLog
{
    [LoggerMessage(1, LogLevel.Information, "Grain state container {Container} is ready")]
    public static partial void ContainerReady(ILogger logger, string container);

    [LoggerMessage(2, LogLevel.Warning, "Write of {BlobName} rejected: stored state is not at ETag {ExpectedETag} ({ErrorCode})")]
    public static partial void Conflict(ILogger logger, string blobName, string? expectedETag, string? errorCode);

    [LoggerMessage(3, LogLevel.Warning, "Write of {BlobName} rejected: lease not held ({ErrorCode})")]
    public static partial void LeaseLost(ILogger logger, string blobName, string? errorCode);
}
