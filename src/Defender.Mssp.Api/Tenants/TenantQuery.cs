using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Api.Tenants;

/// <summary>
/// Pages through the tenants in id order, reading documents (and, to filter by health, grain states) in small
/// parallel batches until a page is full.
/// </summary>
public sealed class TenantQuery(TenantDocumentStore store, IGrainStorage grainStorage)
{
    private const int BatchSize = 16;

    public async Task<TenantPage> ListAsync(TenantFilter filter, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var items = new List<TenantResponse>(pageSize);
        var batch = new List<string>(BatchSize);
        await using var listings = store.ListAsync(after, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await listings.MoveNextAsync().ConfigureAwait(false);
        while (more && items.Count < pageSize)
        {
            batch.Clear();
            while (more && batch.Count < BatchSize)
            {
                batch.Add(listings.Current.TenantId);
                more = await listings.MoveNextAsync().ConfigureAwait(false);
            }

            var matches = await MatchAsync(batch, filter, cancellationToken).ConfigureAwait(false);
            foreach (var match in matches)
            {
                if (items.Count == pageSize)
                {
                    // The page filled inside this batch: the rest of it comes again on the next page.
                    more = true;
                    break;
                }

                items.Add(match);
            }
        }

        return new TenantPage(items, more && items.Count > 0 ? ContinuationToken.Encode(items[^1].TenantId) : null);
    }

    /// <summary>The tenants of <paramref name="tenantIds"/> that pass <paramref name="filter"/>, in the given order.</summary>
    private async Task<List<TenantResponse>> MatchAsync(IReadOnlyList<string> tenantIds, TenantFilter filter, CancellationToken cancellationToken)
    {
        var results = new TenantResponse?[tenantIds.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = BatchSize, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, tenantIds.Count), parallel, async (i, ct) =>
        {
            var stored = await store.GetAsync(tenantIds[i], ct).ConfigureAwait(false);
            if (stored is null || !Passes(stored.Document, filter))
            {
                return;
            }

            if (filter.Health is { } health)
            {
                var state = await grainStorage.ReadAsync<TenantGrainState>(tenantIds[i], ct).ConfigureAwait(false);
                if ((state?.State.Health ?? TenantHealth.Unknown) != health)
                {
                    return;
                }
            }

            results[i] = TenantResponses.From(stored.Document);
        }).ConfigureAwait(false);
        return results.Where(result => result is not null).Select(result => result!).ToList();
    }

    private static bool Passes(TenantDocument document, TenantFilter filter) =>
        (filter.Paused is not { } paused || document.Paused == paused)
        && (filter.Source is not { } source || document.Sources.Contains(source, StringComparer.Ordinal));
}
