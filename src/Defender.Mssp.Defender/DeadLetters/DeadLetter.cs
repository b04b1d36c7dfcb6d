namespace Defender.Mssp.Defender.DeadLetters;

/// <summary>
/// A record the product could not parse (poison): kept with its reason instead of blocking its tenant, so an
/// operator can look at it and nothing the API sent is silently dropped.
/// </summary>
/// <param name="TenantId">The tenant it was read for.</param>
/// <param name="Source">The source (<c>incidents</c>, <c>siem</c>, …).</param>
/// <param name="Reason">Why it could not be parsed.</param>
/// <param name="Raw">Its UTF-8 bytes exactly as the API sent them.</param>
/// <param name="At">When it was set aside.</param>
public sealed record DeadLetter(string TenantId, string Source, string Reason, ReadOnlyMemory<byte> Raw, DateTimeOffset At);
