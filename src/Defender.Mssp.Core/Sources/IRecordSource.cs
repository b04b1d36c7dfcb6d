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

    /// <summary>When the cached token this source uses for the tenant expires, if one is cached.</summary>
    DateTimeOffset? TokenExpiresOn(TenantSettings tenant);
}
