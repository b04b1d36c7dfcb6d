using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Grains.Polling;

/// <summary>A classified source failure: the health it implies, the error to show, and any wait the service asked for.</summary>
internal sealed record SourceFailure(TenantHealth Health, string Code, string Message, TimeSpan? RetryAfter = null)
{
    public TenantError ToError(string? source, DateTimeOffset at) =>
        new() { Code = Code, Message = Message, Source = source, At = at };
}
