using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// A blob listing that fetches one page per service call and follows <c>NextMarker</c> until the service stops
/// returning one. The page size hint becomes <c>maxresults</c>.
/// </summary>
internal sealed class BlobItemPageable(
    Func<string?, int?, CancellationToken, Task<Page<BlobItem>>> fetchPage,
    CancellationToken cancellationToken) : AsyncPageable<BlobItem>(cancellationToken)
{
    public override async IAsyncEnumerable<Page<BlobItem>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        do
        {
            var page = await fetchPage(continuationToken, pageSizeHint, CancellationToken).ConfigureAwait(false);
            yield return page;
            continuationToken = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuationToken));
    }
}
