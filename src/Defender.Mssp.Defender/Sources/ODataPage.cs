using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// Parses one OData page into records and keeps its <c>@odata.nextLink</c>. The API client hands back only the
/// records; the parse of the attempt that succeeded is the last to run, so the link kept is that page's.
/// </summary>
internal sealed class ODataPage(Func<JsonElement, DefenderRecord> map)
{
    /// <summary>The page's <c>@odata.nextLink</c>, or null on the last page.</summary>
    public string? NextLink { get; private set; }

    public Task<IReadOnlyList<DefenderRecord>> ParseAsync(Stream body, CancellationToken cancellationToken) =>
        ParseAsync(body, null, cancellationToken);

    /// <summary>Parses the page; records that cannot be parsed go to <paramref name="poisons"/> when given.</summary>
    public async Task<IReadOnlyList<DefenderRecord>> ParseAsync(Stream body, List<PoisonRecord>? poisons, CancellationToken cancellationToken)
    {
        NextLink = null;
        var page = await StreamedPage.ReadAsync(body, PageShape.OData, map, poisons, cancellationToken).ConfigureAwait(false);
        NextLink = page.NextLink;
        return page.Records;
    }
}
