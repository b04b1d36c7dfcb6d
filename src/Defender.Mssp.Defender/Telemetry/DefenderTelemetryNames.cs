namespace Defender.Mssp.Defender.Telemetry;

/// <summary>
/// Names of the Defender clients' telemetry: the product's meter and activity source (<c>Defender.Mssp</c>, the same
/// in every library of the product), span names and attribute keys (OpenTelemetry's where one exists).
/// </summary>
public static class DefenderTelemetryNames
{
    /// <summary>The product's meter and activity source.</summary>
    public const string Product = "Defender.Mssp";

    public const string TokenSpan = "defender.token";
    public const string ApiPageSpan = "defender.api.page";

    public const string TenantId = "defender.tenant.id";
    public const string Source = "defender.source";
    public const string TokenResource = "defender.token.resource";
    public const string TokenCached = "defender.token.cached";
    public const string TokenForcedRefresh = "defender.token.forced_refresh";
    public const string PageRecords = "defender.api.page.records";
    public const string ServerAddress = "server.address";
    public const string StatusCode = "http.response.status_code";
    public const string ErrorType = "error.type";
}
