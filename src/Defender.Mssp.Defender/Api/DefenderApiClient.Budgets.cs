using System.Net;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Api;

internal sealed partial class DefenderApiClient
{
    /// <summary>
    /// One attempt, sent only once the tenant's request budget for the API has room (<see cref="Budgets.RequestBudgetRegistry"/>);
    /// every attempt counts, retries included, since the service counts them too. A 429 that names its wait pauses
    /// the tenant's budget for that long, so the tenant's other requests to the API hold back as well; the retry of
    /// this one waits exactly the same time in the pipeline and finds the pause over.
    /// </summary>
    private async Task<ApiAttempt> SendWithinBudgetAsync(
        ApiRequest request, AccessTokenResult token, Func<Stream, CancellationToken, Task<IReadOnlyList<DefenderRecord>>> parse,
        CancellationToken cancellationToken)
    {
        if (_budgets is null)
        {
            return await SendOnceAsync(request, token, parse, cancellationToken).ConfigureAwait(false);
        }

        await _budgets.WaitAsync(request.Source, request.Tenant, cancellationToken).ConfigureAwait(false);
        var attempt = await SendOnceAsync(request, token, parse, cancellationToken).ConfigureAwait(false);
        if (attempt is { StatusCode: (int)HttpStatusCode.TooManyRequests, RetryAfter: { } wait })
        {
            _budgets.Throttled(request.Source, request.Tenant, wait);
        }

        return attempt;
    }
}
