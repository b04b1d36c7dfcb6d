using System.Buffers.Binary;

namespace Defender.Simulator.Records;

/// <summary>
/// A small SplitMix64 generator. Everything the simulator generates comes from it, never from
/// <see cref="Random"/>, so records are a pure, portable function of their seed.
/// </summary>
internal sealed class DeterministicRandom(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong _state = seed;

    /// <summary>Mixes two values into a well-distributed seed for a sub-stream.</summary>
    public static ulong Derive(ulong seed, ulong stream) => Mix(seed ^ Mix(stream + Golden));

    /// <summary>Mixes a seed with a sub-stream name.</summary>
    public static ulong Derive(ulong seed, string stream)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in stream)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }

        return Derive(seed, h);
    }

    public ulong NextUInt64()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)((NextUInt64() >> 33) * (ulong)maxExclusive >> 31);

    /// <summary>Uniform in [minInclusive, maxExclusive).</summary>
    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    /// <summary>Uniform in [minInclusive, maxExclusive) for spans of ticks.</summary>
    public long NextInt64(long minInclusive, long maxExclusive) =>
        maxExclusive <= minInclusive ? minInclusive : minInclusive + (long)(NextDouble() * (maxExclusive - minInclusive));

    /// <summary>A duration uniform in [min, max).</summary>
    public TimeSpan NextTimeSpan(TimeSpan min, TimeSpan max) => TimeSpan.FromTicks(NextInt64(min.Ticks, max.Ticks));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Number of events in an interval with the given mean (Poisson; normal approximation for large means).</summary>
    public int NextPoisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            // Box–Muller: accurate enough for arrival counts and O(1) however high the rate.
            var u1 = 1.0 - NextDouble();
            var u2 = NextDouble();
            var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (int)Math.Round(mean + normal * Math.Sqrt(mean)));
        }

        var limit = Math.Exp(-mean);
        var count = 0;
        for (var product = NextDouble(); product > limit; product *= NextDouble())
        {
            count++;
        }

        return count;
    }

    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, NextUInt64());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, like the GUIDs Microsoft hands out
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public string NextHex(int length, bool upper = false)
    {
        var bytes = new byte[(length + 1) / 2];
        FillBytes(bytes);
        var hex = upper ? Convert.ToHexString(bytes) : Convert.ToHexStringLower(bytes);
        return hex[..length];
    }

    public string NextBase64(int byteCount)
    {
        var bytes = new byte[byteCount];
        FillBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    public string NextDigits(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)('0' + Next(i == 0 ? 1 : 0, 10));
        }

        return new string(chars);
    }

    private void FillBytes(Span<byte> bytes)
    {
        Span<byte> block = stackalloc byte[8];
        for (var i = 0; i < bytes.Length; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(block, NextUInt64());
            block[..Math.Min(8, bytes.Length - i)].CopyTo(bytes[i..]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
