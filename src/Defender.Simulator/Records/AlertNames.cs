namespace Defender.Simulator.Records;

/// <summary>
/// How the same facts are spelled by each API: the incidents and Defender for Endpoint APIs use PascalCase names,
/// Microsoft Graph's security namespace camelCase enum members (public "alert" and "incident" resource types).
/// </summary>
internal static class AlertNames
{
    /// <summary>The incidents API's serviceSource of alerts Defender for Endpoint raised.</summary>
    public const string EndpointServiceSource = "MicrosoftDefenderATP";

    /// <summary>Graph enum spelling of a PascalCase value: <c>InProgress</c> → <c>inProgress</c>, null → <c>unknown</c>.</summary>
    public static string GraphEnum(string? value) =>
        string.IsNullOrEmpty(value) || value is "NotAvailable" or "Unknown"
            ? "unknown"
            : char.ToLowerInvariant(value[0]) + value[1..];

    /// <summary>Graph <c>serviceSource</c>: the product that raised the alert.</summary>
    public static string GraphServiceSource(string serviceSource) => serviceSource switch
    {
        EndpointServiceSource => "microsoftDefenderForEndpoint",
        "MicrosoftCloudAppSecurity" => "microsoftDefenderForCloudApps",
        "OfficeATP" => "microsoftDefenderForOffice365",
        "AzureATP" => "microsoftDefenderForIdentity",
        _ => "microsoft365Defender",
    };

    /// <summary>Graph <c>detectionSource</c>: the technology that detected it.</summary>
    public static string GraphDetectionSource(string detectionSource) => detectionSource.ToUpperInvariant() switch
    {
        "WINDOWSDEFENDERAV" => "antivirus",
        "EDR" => "microsoftDefenderForEndpoint",
        "CUSTOMTI" => "customTi",
        "MCAS" => "microsoftDefenderForCloudApps",
        "OFFICEATP" => "microsoftDefenderForOffice365",
        "AZUREATP" => "microsoftDefenderForIdentity",
        _ => "unknown",
    };

    /// <summary>Graph incident status: the incidents API's <c>Active</c>, <c>InProgress</c>, <c>Resolved</c>, <c>Redirected</c>.</summary>
    public static string GraphIncidentStatus(string status) => GraphEnum(status);
}
