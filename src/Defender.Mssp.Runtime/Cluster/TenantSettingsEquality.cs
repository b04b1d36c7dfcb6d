using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// Value equality of tenant settings, lists included (a record compares lists by reference, and a catalogue builds
/// new lists on every read): a balancing round forwards settings to an activation only when something changed.
/// </summary>
internal static class TenantSettingsEquality
{
    public static bool AreEqual(TenantSettings a, TenantSettings b) =>
        ReferenceEquals(a, b)
        || a.Sources.SequenceEqual(b.Sources, StringComparer.Ordinal)
           && a.MachineGroups.SequenceEqual(b.MachineGroups, StringComparer.Ordinal)
           && WithoutLists(a) == WithoutLists(b);

    private static TenantSettings WithoutLists(TenantSettings settings) =>
        settings with { Sources = Array.Empty<string>(), MachineGroups = Array.Empty<string>() };
}
