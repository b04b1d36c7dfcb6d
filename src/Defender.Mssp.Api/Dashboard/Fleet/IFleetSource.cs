namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>Reads the whole fleet as it is now. <see cref="FleetReader"/> reads storage; tests give snapshots of their own.</summary>
public interface IFleetSource
{
    /// <summary>Called by one caller at a time.</summary>
    Task<FleetSnapshot> ReadAsync(CancellationToken cancellationToken);
}
