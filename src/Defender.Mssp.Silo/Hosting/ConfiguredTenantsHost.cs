using Defender.Mssp.Grains;
using Defender.Mssp.Silo.Tenants;
using Defender.Mssp.Storage;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// Hosts one grain per tenant of the <c>Tenants</c> configuration section for as long as the silo runs. On shutdown
/// (SIGTERM, Ctrl+C) every turn in progress is cancelled — no checkpoint passes an undelivered record — and each grain
/// saves its state before the process exits.
/// </summary>
internal sealed partial class ConfiguredTenantsHost(
    IOptions<ConfiguredTenantsOptions> tenants,
    IGrainStorage storage,
    TenantGrainServices services,
    IOptions<SiloOptions> silo,
    ILogger<ConfiguredTenantsHost> logger) : BackgroundService
{
    private readonly List<GrainActivation> _activations = [];

    public IReadOnlyList<GrainActivation> Activations => _activations;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var tenant in tenants.Value.Tenants)
        {
            _activations.Add(new GrainActivation(tenant.ToSettings(), storage, services, silo.Value, logger));
        }

        LogHosting(logger, silo.Value.SiloId, _activations.Count);
        return Task.WhenAll(_activations.Select(a => Task.Run(() => a.RunAsync(stoppingToken), CancellationToken.None)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloId} hosts {Count} configured tenants")]
    private static partial void LogHosting(ILogger logger, string siloId, int count);
}
