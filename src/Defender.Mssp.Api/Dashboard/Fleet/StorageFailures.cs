using Azure;

namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>Tells a storage outage (worth riding out on the last snapshot) from a bug (worth surfacing).</summary>
internal static class StorageFailures
{
    public static bool IsStorageFailure(Exception exception) => exception switch
    {
        RequestFailedException => true,
        HttpRequestException => true,
        AggregateException { InnerExceptions: var inner } => inner.Count > 0 && inner.All(IsStorageFailure),
        _ => false,
    };
}
