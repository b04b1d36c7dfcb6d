using Defender.Mssp.Sinks.Http;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Sinks;

namespace Defender.Mssp.Sinks.Tests.Http;

/// <summary>An HTTPS loopback collector per test, trusted through a PEM anchor file as an operator would configure it.</summary>
public abstract class HttpSinkTestBase : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "http-sink-" + Guid.NewGuid().ToString("N"));

    protected LoopbackHttpReceiver Receiver { get; private set; } = null!;

    protected string TrustAnchorsPath => Path.Combine(_folder, "anchors.pem");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        TestCertificates.WritePublicPem(TestCertificates.Server, TrustAnchorsPath);
        Receiver = await LoopbackHttpReceiver.StartAsync(TestCertificates.Server);
    }

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Options for the receiver, retrying at once (no backoff) so tests never wait.</summary>
    protected HttpSinkOptions Options(HttpSinkFlavour flavour = HttpSinkFlavour.Envelopes) => new()
    {
        Url = new Uri(Receiver.BaseAddress, flavour == HttpSinkFlavour.Envelopes ? "ingest" : ""),
        Flavour = flavour,
        TrustedCertificatesPath = TrustAnchorsPath,
        RetryBaseDelay = TimeSpan.Zero,
        RetryMaxDelay = TimeSpan.FromSeconds(30),
    };
}
