using System.Globalization;
using Azure;
using Azure.Core;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Writes conditions and metadata onto requests and reads the common blob headers off responses.</summary>
internal static class BlobHeaders
{
    public static void AddConditions(Request request, RequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue(HttpHeader.Names.IfMatch, ifMatch.ToString("H"));
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue(HttpHeader.Names.IfNoneMatch, ifNoneMatch.ToString("H"));
        }

        if (conditions.IfModifiedSince is { } modifiedSince)
        {
            request.Headers.SetValue(HttpHeader.Names.IfModifiedSince, HttpDate(modifiedSince));
        }

        if (conditions.IfUnmodifiedSince is { } unmodifiedSince)
        {
            request.Headers.SetValue(HttpHeader.Names.IfUnmodifiedSince, HttpDate(unmodifiedSince));
        }

        if (conditions is BlobRequestConditions { LeaseId: { Length: > 0 } leaseId })
        {
            request.Headers.SetValue(BlobHeaderNames.LeaseId, leaseId);
        }
    }

    public static void AddMetadata(Request request, IDictionary<string, string>? metadata)
    {
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            request.Headers.SetValue(BlobHeaderNames.MetadataPrefix + name, value);
        }
    }

    /// <summary>
    /// The ETag exactly as sent, quotes included (as Azure.Storage.Blobs keeps it), so <c>ToString()</c> gives a value
    /// that can go straight back into <c>If-Match</c>. (Azure.Core's <c>Headers.ETag</c> strips the quotes.)
    /// </summary>
    public static ETag ETag(Response response) =>
        response.Headers.TryGetValue(HttpHeader.Names.ETag, out var value) ? new ETag(value) : default;

    public static DateTimeOffset LastModified(Response response) =>
        response.Headers.TryGetValue(BlobHeaderNames.LastModified, out var value) ? ParseHttpDate(value) : default;

    public static IDictionary<string, string> Metadata(Response response)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith(BlobHeaderNames.MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name[BlobHeaderNames.MetadataPrefix.Length..]] = header.Value;
            }
        }

        return metadata;
    }

    public static T? Enum<T>(Response response, string header) where T : struct, System.Enum =>
        response.Headers.TryGetValue(header, out var value) ? ParseEnum<T>(value) : null;

    public static T? ParseEnum<T>(string? value) where T : struct, System.Enum =>
        System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) ? parsed : null;

    public static DateTimeOffset ParseHttpDate(string value) =>
        DateTimeOffset.ParseExact(value, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string HttpDate(DateTimeOffset value) => value.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
}
