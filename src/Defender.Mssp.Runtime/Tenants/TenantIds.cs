using System.Diagnostics.CodeAnalysis;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// The one spelling of a tenant id (or client id) the product stores: a GUID, lower case, with hyphens. Ids become
/// blob names and folder names, so nothing else may pass.
/// </summary>
public static class TenantIds
{
    /// <summary>The canonical form of <paramref name="value"/>, when it is a GUID in any of .NET's formats.</summary>
    public static bool TryNormalize([NotNullWhen(true)] string? value, [NotNullWhen(true)] out string? normalized)
    {
        if (value is not null && value.Length <= 68 && Guid.TryParse(value.Trim(), out var guid))
        {
            normalized = guid.ToString("D");
            return true;
        }

        normalized = null;
        return false;
    }

    /// <summary>The canonical form of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">Not a GUID.</exception>
    public static string Normalize(string value) =>
        TryNormalize(value, out var normalized)
            ? normalized
            : throw new ArgumentException("A tenant id must be a GUID.", nameof(value));

    /// <summary>Whether <paramref name="value"/> is already canonical.</summary>
    public static bool IsCanonical([NotNullWhen(true)] string? value) =>
        TryNormalize(value, out var normalized) && string.Equals(value, normalized, StringComparison.Ordinal);
}
