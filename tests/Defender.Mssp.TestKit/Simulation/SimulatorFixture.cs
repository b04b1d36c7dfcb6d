using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// An xunit fixture running Defender.Simulator in-process over HTTPS on 127.0.0.1 with
/// <see cref="TestCertificates.Server"/>, with an admin client and HTTP clients that trust exactly that certificate.
/// The test project must reference src/Defender.Simulator. Derive and pass a <see cref="System.TimeProvider"/> to
/// control the simulator's clock.
/// </summary>
public class SimulatorFixture : IAsyncLifetime
{
    private readonly List<HttpClient> _clients = [];
    private RunningSimulator? _simulator;
    private string? _pemPath;

    public SimulatorFixture()
        : this(null)
    {
    }

    protected SimulatorFixture(TimeProvider? timeProvider) => TimeProvider = timeProvider;

    /// <summary>The simulator's clock (null: the system clock).</summary>
    public TimeProvider? TimeProvider { get; }

    public X509Certificate2 Certificate => TestCertificates.Server;

    /// <summary>The simulator's root, e.g. https://127.0.0.1:54321/.</summary>
    public Uri BaseAddress => _simulator?.BaseAddress ?? throw new InvalidOperationException("The simulator has not started.");

    public SimulatorAdminClient Admin { get; private set; } = null!;

    /// <summary>A PEM file with the simulator's certificate, for trust anchors (e.g. SSL_CERT_FILE of a child process).</summary>
    public string CertificatePemPath => _pemPath ??= TestCertificates.WritePublicPem(
        Certificate, Path.Combine(Path.GetTempPath(), $"defender-simulator-{Certificate.Thumbprint}.pem"));

    /// <summary>The authority of a tenant as MSAL takes it: https://127.0.0.1:PORT/{tenantId}.</summary>
    public Uri Authority(Guid tenantId) => new(BaseAddress, tenantId.ToString());

    /// <summary>An HTTP client with the simulator as base address, trusting exactly its certificate; disposed with the fixture.</summary>
    public HttpClient CreateHttpClient()
    {
        var client = TrustedHttp.CreateClient(Certificate, BaseAddress);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>Adds a tenant with one app and secret (a new tenant id when none is given).</summary>
    public Task<TenantSpec> AddTenantAsync(
        string clientId, string secret, GeneratorSpec? generator = null, Guid? tenantId = null, CancellationToken cancellationToken = default) =>
        Admin.PutTenantAsync(TenantSpec.Create(tenantId ?? Guid.NewGuid(), clientId, secret, generator), cancellationToken);

    public async Task InitializeAsync()
    {
        _simulator = await InProcessSimulator.StartAsync(Certificate, TimeProvider, CancellationToken.None).ConfigureAwait(false);
        Admin = new SimulatorAdminClient(CreateHttpClient());
    }

    public async Task DisposeAsync()
    {
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
            _clients.Clear();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
