using Defender.Mssp.Storage;

namespace Defender.Mssp.Grains.Tests.Fakes;

/// <summary>Core's in-memory grain storage with a write counter and scripted write failures.</summary>
internal sealed class ScriptedGrainStorage : IGrainStorage
{
    private readonly InMemoryGrainStorage _inner = new();
    private int _writes;

    /// <summary>Successful writes so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Called before each write with its 1-based attempt number; a returned exception is thrown instead.</summary>
    public Func<int, Exception?>? FailWrite { get; set; }

    private int _attempts;

    public Task<GrainStateEntry<T>?> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class =>
        _inner.ReadAsync<T>(key, cancellationToken);

    public async Task<string> WriteAsync<T>(string key, T state, StorageConditions conditions, CancellationToken cancellationToken)
        where T : class
    {
        var attempt = Interlocked.Increment(ref _attempts);
        if (FailWrite?.Invoke(attempt) is { } failure)
        {
            throw failure;
        }

        var etag = await _inner.WriteAsync(key, state, conditions, cancellationToken);
        Interlocked.Increment(ref _writes);
        return etag;
    }

    public Task DeleteAsync(string key, StorageConditions conditions, CancellationToken cancellationToken) =>
        _inner.DeleteAsync(key, conditions, cancellationToken);

    /// <summary>What is stored now, freshly deserialised; null when nothing is.</summary>
    public T? Peek<T>(string key) where T : class => _inner.ReadAsync<T>(key, CancellationToken.None).Result?.State;
}
