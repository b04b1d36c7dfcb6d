using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// Hosts that are reached without the proxy, in <c>NO_PROXY</c> form (as curl and .NET read it): <c>*</c> for every
/// host; <c>example.com</c>, <c>.example.com</c> or <c>*.example.com</c> for the domain and its subdomains;
/// <c>host:port</c> for one port only; an IPv4/IPv6 address or CIDR range; <c>&lt;local&gt;</c> for loopback and
/// dot-less names. Entries are separated by commas, semicolons or spaces. Nothing is bypassed implicitly: a proxy
/// that must not see loopback traffic says so with <c>127.0.0.1</c>, <c>localhost</c> or <c>&lt;local&gt;</c>.
/// </summary>
internal sealed class ProxyBypassList
{
    private static readonly char[] Separators = [',', ';', ' ', '\t', '\n', '\r'];

    private readonly List<Entry> _entries;

    private ProxyBypassList(List<Entry> entries) => _entries = entries;

    public static ProxyBypassList Empty { get; } = new([]);

    public int Count => _entries.Count;

    /// <summary>Reads every entry of every value; an entry that is neither host, address nor range is skipped.</summary>
    public static ProxyBypassList Parse(IEnumerable<string?> values, bool bypassOnLocal = false)
    {
        var entries = new List<Entry>();
        foreach (var value in values)
        {
            foreach (var item in (value ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (TryParseEntry(item, out var entry))
                {
                    entries.Add(entry);
                }
            }
        }

        if (bypassOnLocal)
        {
            entries.Add(new Entry(EntryKind.Local, "", null, null));
        }

        return new ProxyBypassList(entries);
    }

    public bool Matches(Uri destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var host = destination.IdnHost.TrimEnd('.').ToLowerInvariant();
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : null;
        foreach (var entry in _entries)
        {
            if (entry.Port is { } port && port != destination.Port)
            {
                continue;
            }

            var matched = entry.Kind switch
            {
                EntryKind.All => true,
                EntryKind.Local => address is not null ? IPAddress.IsLoopback(address) : !host.Contains('.', StringComparison.Ordinal) || host == "localhost",
                EntryKind.Network => address is not null && entry.Network!.Value.Contains(Normalize(address, entry.Network.Value.BaseAddress)),
                EntryKind.Address => address is not null && Normalize(address, entry.Network!.Value.BaseAddress).Equals(entry.Network.Value.BaseAddress),
                _ => address is null && (host == entry.Domain || host.EndsWith("." + entry.Domain, StringComparison.Ordinal)),
            };
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseEntry(string item, out Entry entry)
    {
        entry = default;
        var text = item.Trim().ToLowerInvariant();
        if (text == "*")
        {
            entry = new Entry(EntryKind.All, "", null, null);
            return true;
        }

        if (text == "<local>")
        {
            entry = new Entry(EntryKind.Local, "", null, null);
            return true;
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            if (IPNetwork.TryParse(text.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal), out var network))
            {
                entry = new Entry(EntryKind.Network, "", network, null);
                return true;
            }

            return false;
        }

        var (host, port) = SplitPort(text);
        if (port is < 0 or > 65535)
        {
            return false;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            entry = new Entry(EntryKind.Address, "", new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128), port);
            return true;
        }

        var domain = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host.TrimStart('.');
        domain = domain.TrimEnd('.');
        if (domain.Length == 0 || domain.Contains('*', StringComparison.Ordinal) || Uri.CheckHostName(domain) == UriHostNameType.Unknown)
        {
            return false;
        }

        entry = new Entry(EntryKind.Domain, domain, null, port);
        return true;
    }

    private static (string Host, int? Port) SplitPort(string text)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? (text, null)
                : (text[1..close], close + 1 < text.Length && text[close + 1] == ':' ? ParsePort(text[(close + 2)..]) : null);
        }

        var colon = text.LastIndexOf(':');
        // More than one colon without brackets is a bare IPv6 address, not host:port.
        return colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon ? (text, null) : (text[..colon], ParsePort(text[(colon + 1)..]));
    }

    private static int? ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : -1;

    /// <summary>IPv4-mapped IPv6 addresses compare as IPv4 against IPv4 entries.</summary>
    private static IPAddress Normalize(IPAddress address, IPAddress like) =>
        address.IsIPv4MappedToIPv6 && like.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv4() : address;

    private enum EntryKind
    {
        All,
        Local,
        Domain,
        Address,
        Network,
    }

    private readonly record struct Entry(EntryKind Kind, string Domain, IPNetwork? Network, int? Port);
}
