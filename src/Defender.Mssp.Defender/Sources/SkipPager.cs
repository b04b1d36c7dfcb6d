using System.Runtime.CompilerServices;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// Reads an API that pages by <c>$top</c> and <c>$skip</c> (incidents, Defender for Endpoint alerts) to its end: page after
/// page until one comes back short, each record once.
/// </summary>
/// <remarks>
/// Records raised meanwhile shift later pages forward, so a page may repeat records of the one before; those are
/// dropped by key. A full page that added nothing new (a <c>$skip</c> past the end answered with the same full page)
/// ends the read rather than loop, and more than <paramref name="maxPages"/> pages fail it: the window is too wide.
/// Poison records count as served, so a full page that held one is still full.
/// </remarks>
internal static class SkipPager
{
    public static async IAsyncEnumerable<DefenderRecord> ReadAsync(
        string source,
        string tenantId,
        int pageSize,
        int maxPages,
        Func<int, CancellationToken, Task<ParsedPage>> readPageAt,
        Action<int> onPageAddingNothing,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<RecordKey>();
        for (var page = 0; ; page++)
        {
            if (page >= maxPages)
            {
                throw new DefenderApiException(source, 200,
                    $"{source} read for tenant '{tenantId}' needed more than {maxPages} pages; " +
                    "shorten the window or raise Defender:MaxPagesPerRead", errorCode: "TooManyPages");
            }

            var read = await readPageAt(page * pageSize, cancellationToken).ConfigureAwait(false);
            var added = 0;
            foreach (var record in read.Records)
            {
                if (seen.Add(record.Key))
                {
                    added++;
                    yield return record;
                }
            }

            if (read.Served < pageSize)
            {
                yield break;
            }

            if (added == 0 && read.PoisonCount == 0)
            {
                onPageAddingNothing(page);
                yield break;
            }
        }
    }
}
