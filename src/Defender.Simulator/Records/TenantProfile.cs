namespace Defender.Simulator.Records;

/// <summary>
/// The fixed facts of a tenant that every generated record draws on: its domain, devices, device groups and users,
/// all derived from the generator seed.
/// </summary>
internal sealed class TenantProfile
{
    private static readonly string[] DefaultMachineGroups = ["Workstations", "Servers", "UKMachines", "FranceMachines"];
    private static readonly string[] DeviceTags = ["", "", "Finance", "VIP", "Kiosk"];
    private static readonly string[] CloudTags = ["", "Tier0", "Production", "Tier0, Production", "Pilot"];
    private static readonly string[] Platforms = ["Windows10", "Windows11", "WindowsServer2019", "WindowsServer2022"];
    private static readonly string[] Risk = ["None", "Low", "Medium", "High"];
    private static readonly string[] FirstNames = ["alex", "sam", "robin", "kim", "jordan", "charlie", "max", "noor"];
    private static readonly string[] LastNames = ["jansen", "devries", "bakker", "smith", "garcia", "muller", "rossi"];

    public TenantProfile(Guid tenantId, ulong seed, IReadOnlyList<string> machineGroups, int deviceCount)
    {
        TenantId = tenantId;
        Seed = seed;
        var random = new DeterministicRandom(DeterministicRandom.Derive(seed, "profile"));
        var label = "t" + tenantId.ToString("N")[..6];
        Domain = label + ".corp.contoso.com";
        MachineGroups = machineGroups.Count > 0 ? [.. machineGroups] : DefaultMachineGroups;

        var devices = new List<DeviceProfile>(Math.Max(1, deviceCount));
        for (var i = 0; i < Math.Max(1, deviceCount); i++)
        {
            var group = MachineGroups[i % MachineGroups.Count];
            var platform = random.Pick(Platforms);
            var name = (platform.StartsWith("WindowsServer", StringComparison.Ordinal) ? "srv-" : "desk-") + random.NextHex(5);
            devices.Add(new DeviceProfile(
                MachineName: name,
                DnsName: name + "." + Domain,
                DeviceId: random.NextHex(40),
                AadDeviceId: random.Chance(0.5) ? random.NextGuid() : null,
                MachineGroup: group,
                RbacGroupId: 1 + (i % MachineGroups.Count),
                OsPlatform: platform,
                OsVersion: platform.StartsWith("WindowsServer", StringComparison.Ordinal) ? "1809" : "22H2",
                OsBuild: random.Pick([17763, 19045, 20348, 22631]),
                InternalIPv4: $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}",
                DeviceCreatedMachineTags: random.Pick(DeviceTags),
                CloudCreatedMachineTags: random.Pick(CloudTags),
                FirstSeen: new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(500_000)),
                RiskScore: random.Pick(Risk)));
        }

        Devices = devices;
        Users = [.. Enumerable.Range(0, 6).Select(_ => random.Pick(FirstNames) + "." + random.Pick(LastNames))];
        IncidentIdBase = 100_000 + (int)(seed % 800_000);
    }

    public Guid TenantId { get; }

    public ulong Seed { get; }

    public string Domain { get; }

    public IReadOnlyList<string> MachineGroups { get; }

    public IReadOnlyList<DeviceProfile> Devices { get; }

    /// <summary>Account names (without domain) of the tenant's users.</summary>
    public IReadOnlyList<string> Users { get; }

    /// <summary>The first incident id; ids then grow by one per incident, as the real service's roughly do.</summary>
    public int IncidentIdBase { get; }
}
