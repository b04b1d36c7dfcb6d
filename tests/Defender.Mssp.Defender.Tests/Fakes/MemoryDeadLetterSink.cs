using Defender.Mssp.Defender.DeadLetters;

namespace Defender.Mssp.Defender.Tests.Fakes;

/// <summary>Keeps dead letters in memory, so unit tests write no files.</summary>
internal sealed class MemoryDeadLetterSink : IDeadLetterSink
{
    private readonly Lock _gate = new();
    private readonly List<DeadLetter> _letters = [];

    public IReadOnlyList<DeadLetter> Letters
    {
        get
        {
            lock (_gate)
            {
                return [.. _letters];
            }
        }
    }

    public Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _letters.AddRange(letters);
        }

        return Task.CompletedTask;
    }
}
