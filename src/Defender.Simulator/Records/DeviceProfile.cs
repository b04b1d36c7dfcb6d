namespace Defender.Simulator.Records;

/// <summary>A device of a simulated tenant; alerts of both APIs happen on these.</summary>
internal sealed record DeviceProfile(
    string MachineName,
    string DnsName,
    string DeviceId,
    Guid? AadDeviceId,
    string MachineGroup,
    int RbacGroupId,
    string OsPlatform,
    string OsVersion,
    int OsBuild,
    string InternalIPv4,
    string DeviceCreatedMachineTags,
    string CloudCreatedMachineTags,
    DateTimeOffset FirstSeen,
    string RiskScore);
