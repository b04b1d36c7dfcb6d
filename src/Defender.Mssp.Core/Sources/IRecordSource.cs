using Defender.Mssp.Records;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Sources;

/// <summary>
/// Reads one Defender API for one tenant. Implementations own paging, window splitting, tokens and retries of a
/// single request; the grain owns windows, checkpoints and de-duplication.
/// </summary>
public interface IRecordSource
{
    /// <summary>The configuration name, one of <see cref="DefenderSources"/>.</summary>
    string Name { get; }

    /// <summary>
    /// Every record version whose time field lies in <paramref name="window"/> as the API serves it now. Records may
    /// come in any order and may repeat; records outside the window may appear and are the caller's to ignore.
    /// </summary>
    /// <exception cref="DefenderApiException">The API answered with an error that retrying once did not cure.</exception>
    /// <exception cref="TokenAcquisitionException">No token could be had for the tenant.</exception>
    IAsyncEnumerable<DefenderRecord> ReadAsync(TenantSettings tenant, RecordWindow window, CancellationToken cancellationToken);

    /// <summary>
    /// True when the query of <see cref="ReadAsync"/> bounds the window's end, so a read returns (almost) nothing beyond
    /// it and the grain may read a long window in slices. False (the default) for open-ended queries: a slice would
    /// read everything after its start again, so their windows are read whole.
    /// </summary>
    bool BoundedByWindowEnd => false;

    /// <summary>When the cached token this source uses for the tenant expires, if one is cached.</summary>
    DateTimeOffset? TokenExpiresOn(TenantSettings tenant);
}
