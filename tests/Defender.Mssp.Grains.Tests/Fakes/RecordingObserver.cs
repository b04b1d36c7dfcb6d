using System.Threading.Channels;

namespace Defender.Mssp.Grains.Tests.Fakes;

/// <summary>Hands each completed turn to the test, which awaits it instead of sleeping.</summary>
internal sealed class RecordingObserver : ITenantGrainObserver
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Channel<TenantPollResult> _results = Channel.CreateUnbounded<TenantPollResult>();

    public void OnPollCompleted(TenantPollResult result) => _results.Writer.TryWrite(result);

    /// <summary>The next turn's result; the generous real-time bound only turns a hang into a failure.</summary>
    public async Task<TenantPollResult> NextAsync() => await _results.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public bool TryTake(out TenantPollResult? result) => _results.Reader.TryRead(out result);
}
