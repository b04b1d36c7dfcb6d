namespace Defender.AppHost.Hosting;

/// <summary>Something the AppHost starts and stops, in the order resources were added (Aspire's resource model, thin).</summary>
public interface IResource
{
    string Name { get; }

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops gracefully, then forcibly once <paramref name="grace"/> has passed.</summary>
    Task StopAsync(TimeSpan grace);
}
