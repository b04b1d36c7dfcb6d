namespace Defender.Mssp.Defender.Http;

/// <summary>The named <see cref="HttpClient"/>s registered by <c>AddDefenderClients</c>; both share one handler configuration.</summary>
public static class DefenderHttpClientNames
{
    /// <summary>Calls to the Defender APIs.</summary>
    public const string Api = "Defender.Api";

    /// <summary>MSAL's calls to the token endpoint.</summary>
    public const string Token = "Defender.Token";
}
