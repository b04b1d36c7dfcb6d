using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Development;

internal static partial class AzuriteLog
{
    [LoggerMessage(1, LogLevel.Information, "Installing Azurite with npm ci in {ToolDirectory}")]
    public static partial void Installing(ILogger logger, string toolDirectory);

    [LoggerMessage(2, LogLevel.Information, "Azurite installed in {ToolDirectory}")]
    public static partial void Installed(ILogger logger, string toolDirectory);

    [LoggerMessage(3, LogLevel.Information, "Azurite blob service listening at {BlobEndpoint} ({Persistence})")]
    public static partial void Started(ILogger logger, Uri blobEndpoint, string persistence);

    [LoggerMessage(4, LogLevel.Information, "Azurite blob service on port {Port} stopped")]
    public static partial void Stopped(ILogger logger, int port);

    [LoggerMessage(5, LogLevel.Debug, "azurite: {Line}")]
    public static partial void Output(ILogger logger, string line);
}
