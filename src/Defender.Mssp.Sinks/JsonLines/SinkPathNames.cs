using System.Globalization;
using System.Text.RegularExpressions;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Folder and file names made from tenant ids and source names. Both come from configuration and API calls, so they
/// are held to a strict alphabet: no separators, no dots, nothing that could step out of the sink's root. Because a
/// source name has no dot, the dotted suffixes of rotated files can never be mistaken for another source's file.
/// </summary>
internal static partial class SinkPathNames
{
    public const string JsonLinesExtension = ".jsonl";

    public static string TenantFolder(string tenantId) =>
        TenantIdPattern().IsMatch(tenantId)
            ? tenantId
            : throw new ArgumentException("A tenant id must be letters, digits and hyphens (a GUID), at most 64 characters.", nameof(tenantId));

    public static bool IsTenantFolder(string name) => TenantIdPattern().IsMatch(name);

    public static bool IsSource(string name) => SourcePattern().IsMatch(name);

    /// <summary>The active JSON Lines file of a source: <c>{source}.jsonl</c>.</summary>
    public static string SourceFile(string source) => CheckedSource(source) + JsonLinesExtension;

    /// <summary>A rotated JSON Lines file: <c>{source}.{yyyy-MM-dd}.{sequence}.jsonl</c>, the day its records arrived.</summary>
    public static string RotatedSourceFile(string source, DateOnly day, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{CheckedSource(source)}.{day:yyyy-MM-dd}.{sequence}{JsonLinesExtension}");

    /// <summary>The file pattern (for <see cref="Directory.EnumerateFiles(string, string)"/>) of a source's rotated files.</summary>
    public static string RotatedSourcePattern(string source) => CheckedSource(source) + ".*.*" + JsonLinesExtension;

    /// <summary>Reads the day and sequence back from a rotated file's name; false for any other file.</summary>
    public static bool TryParseRotated(string fileName, string source, out DateOnly day, out int sequence)
    {
        day = default;
        sequence = 0;
        var match = RotatedPattern().Match(fileName);
        return match.Success
            && string.Equals(match.Groups["source"].Value, source, StringComparison.Ordinal)
            && DateOnly.TryParseExact(match.Groups["day"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
            && int.TryParse(match.Groups["sequence"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>A CSV file of a source for one day: <c>{source}-{yyyy-MM-dd}.csv</c>.</summary>
    public static string CsvFile(string source, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{CheckedSource(source)}-{day:yyyy-MM-dd}.csv");

    /// <summary>Joins a root with the tenant's folder and a file name, refusing anything that leaves the root.</summary>
    public static string UnderRoot(string rootPath, string tenantId, string fileName)
    {
        var path = Path.GetFullPath(Path.Combine(rootPath, TenantFolder(tenantId), fileName));
        // Belt and braces: the names' alphabet already rules out leaving the root.
        return path.StartsWith(rootPath + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("The tenant id or source name leads outside the sink's folder.", nameof(tenantId));
    }

    private static string CheckedSource(string source) =>
        SourcePattern().IsMatch(source)
            ? source
            : throw new ArgumentException("A source name must be letters, digits, '-' and '_', at most 64 characters.", nameof(source));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();

    [GeneratedRegex(@"^(?<source>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\.(?<day>\d{4}-\d{2}-\d{2})\.(?<sequence>\d{1,9})\.jsonl$", RegexOptions.CultureInvariant)]
    private static partial Regex RotatedPattern();
}
