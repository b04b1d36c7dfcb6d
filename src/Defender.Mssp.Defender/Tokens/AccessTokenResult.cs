namespace Defender.Mssp.Defender.Tokens;

/// <summary>A bearer token and its expiry. Deliberately not a record: its text never appears in ToString or logs.</summary>
public sealed class AccessTokenResult(string token, DateTimeOffset expiresOn, bool fromCache)
{
    /// <summary>The token itself; only the <c>Authorization</c> header may carry it.</summary>
    public string Token { get; } = token;

    public DateTimeOffset ExpiresOn { get; } = expiresOn;

    /// <summary>True when the token came from the cache without a call to the token endpoint.</summary>
    public bool FromCache { get; } = fromCache;

    public override string ToString() => $"Bearer *** (expires {ExpiresOn:O}{(FromCache ? ", cached" : "")})";
}
