using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Defender.AppHost.Hosting;

/// <summary>Polls a child's <c>/health</c> until it answers 200.</summary>
internal static class HealthProbe
{
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

    public static async Task WaitUntilHealthyAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync(new Uri(endpoint, "/health"), deadline.Token).ConfigureAwait(false);
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

            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ConfigureAwait(false);
        }
    }
}
