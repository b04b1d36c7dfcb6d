namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>
/// The last value read for each blob with the version (ETag) it was read at, so a fleet read downloads only blobs a
/// listing shows changed. Not thread-safe: the fleet is read by one caller at a time.
/// </summary>
internal sealed class VersionedCache<TVersion, TValue>
    where TVersion : IEquatable<TVersion>
    where TValue : class
{
    private readonly Dictionary<string, (TVersion Version, TValue Value)> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The cached value when it was read at <paramref name="version"/>.</summary>
    public bool TryGet(string key, TVersion version, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Version.Equals(version))
        {
            value = entry.Value;
            return true;
        }

        value = null!;
        return false;
    }

    public void Set(string key, TVersion version, TValue value) => _entries[key] = (version, value);

    /// <summary>Forgets every key not in <paramref name="keys"/> (blobs deleted since).</summary>
    public void RetainOnly(IReadOnlySet<string> keys)
    {
        foreach (var key in _entries.Keys.Where(key => !keys.Contains(key)).ToList())
        {
            _entries.Remove(key);
        }
    }
}
