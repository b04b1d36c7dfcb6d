using Azure;

namespace Defender.Mssp.Runtime.Tests.Blobs;

internal static class BlobAssert
{
    /// <summary>Asserts the call fails with the service's status and error code.</summary>
    public static async Task<RequestFailedException> FailsWith(int status, string errorCode, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RequestFailedException>(call);
        Assert.Equal((status, errorCode), (e.Status, e.ErrorCode));
        return e;
    }
}
