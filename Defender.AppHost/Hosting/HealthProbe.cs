using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Defender.AppHost.Hosting;

/// <summary>Polls a child's <c>/health</c> until it answers 200.</summary>
internal static class HealthProbe
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The certificate the AppHost gave its HTTPS children; the probe trusts exactly that one.</summary>
    public static X509Certificate2? TrustedCertificate { get; set; }

    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (TrustedCertificate is not null && certificate is not null
                    && certificate.GetCertHashString() == TrustedCertificate.GetCertHashString()),
        },
    })
    { Timeout = TimeSpan.FromSeconds(5) };

    /// <exception cref="TimeoutException">No 200 within <paramref name="timeout"/>.</exception>
    public static async Task WaitUntilHealthyAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var health = new Uri(endpoint, "/health");
        try
        {
            while (true)
            {
                try
                {
                    using var response = await Client.GetAsync(health, deadline.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // One probe timed out; try again.
                }

                await Task.Delay(Interval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{health} did not answer 200 within {timeout.TotalSeconds:0} s.");
        }
    }
}
