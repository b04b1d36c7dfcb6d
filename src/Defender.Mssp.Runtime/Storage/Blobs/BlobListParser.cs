using System.Globalization;
using System.Xml.Linq;
using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Reads one page of a List Blobs response (<c>EnumerationResults</c> XML).</summary>
internal static class BlobListParser
{
    public static (IReadOnlyList<BlobItem> Items, string? NextMarker) Parse(BinaryData content)
    {
        using var stream = content.ToStream();
        var root = XDocument.Load(stream).Root
            ?? throw new InvalidOperationException("The List Blobs response has no XML root element.");

        var items = root.Element("Blobs")?.Elements("Blob").Select(ParseBlob).ToList() ?? [];
        var nextMarker = root.Element("NextMarker")?.Value;
        return (items, string.IsNullOrEmpty(nextMarker) ? null : nextMarker);
    }

    private static BlobItem ParseBlob(XElement blob)
    {
        var properties = blob.Element("Properties");
        return new BlobItem
        {
            Name = ParseName(blob.Element("Name")),
            Properties = new BlobItemProperties
            {
                ETag = Value(properties, "Etag") is { } etag ? HeaderFormETag(etag) : null,
                LastModified = Value(properties, "Last-Modified") is { } modified ? BlobHeaders.ParseHttpDate(modified) : null,
                ContentLength = long.TryParse(Value(properties, "Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null,
                ContentType = Value(properties, "Content-Type"),
                LeaseState = BlobHeaders.ParseEnum<LeaseState>(Value(properties, "LeaseState")),
                LeaseStatus = BlobHeaders.ParseEnum<LeaseStatus>(Value(properties, "LeaseStatus")),
                LeaseDuration = BlobHeaders.ParseEnum<LeaseDurationType>(Value(properties, "LeaseDuration")),
            },
            Metadata = blob.Element("Metadata")?.Elements()
                .ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>Names with characters XML cannot carry come percent-encoded, flagged <c>Encoded="true"</c>.</summary>
    private static string ParseName(XElement? name) =>
        name is null ? throw new InvalidOperationException("A listed blob has no Name.")
        : (string?)name.Attribute("Encoded") == "true" ? Uri.UnescapeDataString(name.Value)
        : name.Value;

    private static string? Value(XElement? parent, string name) =>
        parent?.Element(name)?.Value is { Length: > 0 } value ? value : null;

    // Listings give the ETag unquoted, headers quoted; quote it so both compare equal.
    private static ETag HeaderFormETag(string value) => new(new ETag(value).ToString("H"));
}
