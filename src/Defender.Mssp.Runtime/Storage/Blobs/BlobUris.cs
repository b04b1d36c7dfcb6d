using System.Net;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Builds container and blob URIs and reads names back out of them.</summary>
internal static class BlobUris
{
    /// <summary>Appends a container or blob name, escaping each segment but keeping '/' as the virtual-folder separator.</summary>
    public static Uri Append(Uri parent, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var escaped = string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
        return new Uri(parent.AbsoluteUri.TrimEnd('/') + "/" + escaped);
    }

    /// <summary>
    /// The account a service URI belongs to: the first path segment for path-style URIs (an IP address or localhost,
    /// as the emulator uses), otherwise the first label of the host name.
    /// </summary>
    public static string AccountName(Uri serviceUri) =>
        IsPathStyle(serviceUri)
            ? serviceUri.AbsolutePath.Trim('/').Split('/')[0]
            : serviceUri.Host.Split('.')[0];

    /// <summary>The service URI above a container URI (its parent path).</summary>
    public static (Uri Service, string Container) SplitContainer(Uri containerUri)
    {
        var path = containerUri.AbsolutePath.TrimEnd('/');
        var slash = path.LastIndexOf('/');
        var container = Uri.UnescapeDataString(path[(slash + 1)..]);
        return (new Uri(containerUri.GetLeftPart(UriPartial.Authority) + path[..slash]), container);
    }

    private static bool IsPathStyle(Uri uri) =>
        IPAddress.TryParse(uri.Host, out _) || uri.IsLoopback && !uri.Host.Contains('.', StringComparison.Ordinal);
}
