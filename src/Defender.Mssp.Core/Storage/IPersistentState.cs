namespace Defender.Mssp.Storage;

/// <summary>
/// A grain's persisted state, as Orleans' <c>IPersistentState&lt;T&gt;</c>: the grain mutates <see cref="State"/> and
/// calls <see cref="WriteStateAsync"/>; concurrency and fencing are the storage's business.
/// </summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }

    /// <summary>The ETag the state was last read or written at; null when nothing is stored.</summary>
    string? ETag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken);

    /// <exception cref="InconsistentStateException">Someone else wrote the state since we read it.</exception>
    /// <exception cref="LeaseLostException">This process no longer owns the grain.</exception>
    Task WriteStateAsync(CancellationToken cancellationToken);

    Task ClearStateAsync(CancellationToken cancellationToken);
}
