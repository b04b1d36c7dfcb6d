namespace Defender.Mssp.Tenants;

/// <summary>The Microsoft clouds a tenant can live in; each has its own login, Defender and Graph hosts.</summary>
public enum DefenderCloud
{
    Commercial,
    Gcc,
    GccHigh,
    DoD,
}
