using System.Text.RegularExpressions;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Folder and file names made from tenant ids and source names. Both come from configuration and API calls, so they
/// are held to a strict alphabet: no separators, no dots, nothing that could step out of the sink's root.
/// </summary>
internal static partial class SinkPathNames
{
    public static string TenantFolder(string tenantId) =>
        TenantIdPattern().IsMatch(tenantId)
            ? tenantId
            : throw new ArgumentException("A tenant id must be letters, digits and hyphens (a GUID), at most 64 characters.", nameof(tenantId));

    public static string SourceFile(string source) =>
        SourcePattern().IsMatch(source)
            ? source + ".jsonl"
            : throw new ArgumentException("A source name must be letters, digits, '-' and '_', at most 64 characters.", nameof(source));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();
}
