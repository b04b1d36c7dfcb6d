using Defender.Mssp.Grains.State;
using Defender.Mssp.Sources;

namespace Defender.Mssp.Grains.Polling;

/// <summary>Maps what a source or sink threw to the tenant health an operator sees.</summary>
internal static class FailureClassifier
{
    public const string UnknownSourceCode = "unknown_source";
    public const string CheckpointWriteCode = "checkpoint_write_failed";

    // Long messages (HTML error pages) are cut: status is for people, logs keep the whole exception.
    private const int MaxMessageLength = 500;

    public static SourceFailure Classify(Exception exception) => exception switch
    {
        TokenAcquisitionException token => ClassifyToken(token),
        DefenderApiException api => ClassifyApi(api),
        _ => new SourceFailure(TenantHealth.Faulted, exception.GetType().Name, Trim(exception.Message)),
    };

    public static SourceFailure UnknownSource(string name) =>
        new(TenantHealth.NeedsOperator, UnknownSourceCode, $"The tenant names source '{Trim(name)}', which this silo does not know.");

    public static SourceFailure CheckpointWriteFailed(Exception exception) =>
        new(TenantHealth.Faulted, CheckpointWriteCode, Trim($"{exception.GetType().Name}: {exception.Message}"));

    private static SourceFailure ClassifyToken(TokenAcquisitionException token)
    {
        var code = token.AadstsCode ?? token.ErrorCode ?? "token_error";
        var message = Trim(token.Message);
        var health = AadstsNumber(token.AadstsCode) switch
        {
            // Wrong or expired secret, app not in the tenant, app disabled, certificate not accepted.
            "7000215" or "7000222" or "700016" or "7000112" or "700027" => TenantHealth.AuthFailed,
            // No admin consent; the API's service principal absent from the tenant (consent never given for it).
            "65001" or "500011" => TenantHealth.ConsentMissing,
            // No such tenant; a tenant id that is neither a valid id nor a verified domain.
            "90002" or "900023" => TenantHealth.TenantNotFound,
            _ when token.IsTransient => TenantHealth.Faulted,
            _ when token.ErrorCode is "consent_required" => TenantHealth.ConsentMissing,
            // invalid_client, unauthorized_client and any other refusal: the credentials need an operator.
            _ => TenantHealth.AuthFailed,
        };
        return new SourceFailure(health, code, message);
    }

    private static SourceFailure ClassifyApi(DefenderApiException api)
    {
        var code = api.ErrorCode ?? (api.StatusCode == 0 ? "no_response" : $"http_{api.StatusCode}");
        var health = api.StatusCode switch
        {
            // The source already fetched a fresh token and retried once: the token is refused for this API.
            401 => TenantHealth.AuthFailed,
            403 => TenantHealth.NeedsOperator,
            429 => TenantHealth.Throttled,
            _ => TenantHealth.Faulted,
        };
        return new SourceFailure(health, code, Trim(api.Message), api.StatusCode == 429 ? api.RetryAfter : null);
    }

    private static string? AadstsNumber(string? code) =>
        code is null ? null
        : code.StartsWith("AADSTS", StringComparison.OrdinalIgnoreCase) ? code[6..]
        : code;

    private static string Trim(string message) =>
        message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "…");
}
