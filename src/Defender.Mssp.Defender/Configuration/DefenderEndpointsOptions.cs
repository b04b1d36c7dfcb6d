using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>
/// Where each cloud's login and Defender APIs live, bound from section <c>Defender</c>
/// (e.g. <c>Defender:Commercial:AuthorityHost</c>, <c>Defender:GccHigh:SiemBases:us</c>). Unset values keep the real
/// Microsoft hosts.
/// </summary>
public sealed class DefenderEndpointsOptions
{
    public const string SectionName = "Defender";

    public DefenderCloudEndpoints Commercial { get; set; } = DefenderCloudEndpoints.CommercialDefaults();

    public DefenderCloudEndpoints Gcc { get; set; } = DefenderCloudEndpoints.GccDefaults();

    public DefenderCloudEndpoints GccHigh { get; set; } = DefenderCloudEndpoints.GccHighDefaults();

    public DefenderCloudEndpoints DoD { get; set; } = DefenderCloudEndpoints.DoDDefaults();

    public DefenderCloudEndpoints For(DefenderCloud cloud) => cloud switch
    {
        DefenderCloud.Commercial => Commercial,
        DefenderCloud.Gcc => Gcc,
        DefenderCloud.GccHigh => GccHigh,
        DefenderCloud.DoD => DoD,
        _ => throw new ArgumentOutOfRangeException(nameof(cloud), cloud, "Unknown cloud."),
    };

    public IEnumerable<(DefenderCloud Cloud, DefenderCloudEndpoints Endpoints)> All() =>
        Enum.GetValues<DefenderCloud>().Select(cloud => (cloud, For(cloud)));
}
