namespace Defender.Simulator.Records;

/// <summary>What kind of entity an alert template involves.</summary>
internal enum EntityKind
{
    User,
    Ip,
    Url,
    File,
    Process,
    MailBox,
    MailMessage,
    MailCluster,
    Registry,
}

/// <summary>An alert as the Microsoft 365 Defender incidents API reports it, minus the per-record details.</summary>
internal sealed record AlertTemplate(
    string Title,
    string Description,
    string Category,
    string ServiceSource,
    string DetectionSource,
    string Severity,
    string InvestigationState,
    string? ThreatFamilyName,
    string? ActorName,
    string[] MitreTechniques,
    bool OnDevice,
    EntityKind[] Entities);

/// <summary>An incident scenario: its name and the alerts it starts with or can gain.</summary>
internal sealed record IncidentTemplate(string Name, AlertTemplate[] Alerts);

/// <summary>The scenarios the generator draws incidents from, modelled on the public API documentation's examples.</summary>
internal static class IncidentCatalog
{
    private static readonly AlertTemplate Ransomware = new(
        "Ransomware activity",
        "The user manipulated 99 files with multiple extensions ending with the uncommon extension herunterladen. This is an unusual number of file manipulations and is indicative of a potential ransomware attack.",
        "Impact", "MicrosoftCloudAppSecurity", "MCAS", "Medium", "UnsupportedAlertType", null, null, ["T1486"], false,
        [EntityKind.User, EntityKind.Ip]);

    private static readonly AlertTemplate Mimikatz = new(
        "'Mimikatz' hacktool was detected",
        "Readily available tools, such as hacking programs, can be used by unauthorized individuals to spy on users. When used by attackers, these tools are often installed without authorization and used to compromise targeted machines.",
        "Malware", "MicrosoftDefenderATP", "WindowsDefenderAv", "Low", "UnsupportedOs", "Mimikatz", null, [], true,
        [EntityKind.File]);

    private static readonly AlertTemplate Phish = new(
        "Email reported by user as malware or phish",
        "This alert is triggered when any email message is reported as malware or phish by users -V1.0.0.2",
        "InitialAccess", "OfficeATP", "OfficeATP", "Informational", "Queued", null, null, [], false,
        [EntityKind.MailBox, EntityKind.MailMessage, EntityKind.MailCluster, EntityKind.Ip]);

    private static readonly AlertTemplate PowerShell = new(
        "Suspicious PowerShell command line",
        "A suspicious PowerShell activity was observed on the machine. This behavior may indicate that PowerShell was used during installation, exploration, or in some cases in lateral movement activities.",
        "Execution", "MicrosoftDefenderATP", "EDR", "Medium", "Running", null, null, ["T1059.001"], true,
        [EntityKind.Process, EntityKind.User]);

    private static readonly AlertTemplate BruteForce = new(
        "Suspected brute-force attack (Kerberos, NTLM)",
        "Multiple failed sign-in attempts were made against accounts from a single device, a pattern typical of password guessing.",
        "CredentialAccess", "AzureATP", "AzureATP", "Medium", "UnsupportedAlertType", null, null, ["T1110"], false,
        [EntityKind.User, EntityKind.Ip]);

    private static readonly AlertTemplate LateralMovement = new(
        "Suspicious remote service installation",
        "A service was installed remotely on the device, a technique attackers use to move laterally through a network.",
        "LateralMovement", "MicrosoftDefenderATP", "EDR", "High", "PendingApproval", null, "BORON", ["T1021.002", "T1569.002"], true,
        [EntityKind.Process, EntityKind.Registry]);

    private static readonly AlertTemplate MaliciousUrl = new(
        "Connection to a custom network indicator",
        "An endpoint connected to a URL or domain that the organization marked as malicious.",
        "CommandAndControl", "MicrosoftDefenderATP", "CustomTi", "High", "SuccessfullyRemediated", null, null, ["T1071"], true,
        [EntityKind.Url, EntityKind.Ip]);

    public static IReadOnlyList<IncidentTemplate> Incidents { get; } =
    [
        new("Ransomware activity", [Ransomware, MaliciousUrl]),
        new("'Mimikatz' hacktool was detected on one endpoint", [Mimikatz, PowerShell]),
        new("Email reported by user as malware or phish", [Phish]),
        new("Suspicious PowerShell activity on one endpoint", [PowerShell, LateralMovement]),
        new("Suspected brute-force attack on multiple accounts", [BruteForce]),
        new("Multi-stage incident involving Execution & Lateral movement on one endpoint", [PowerShell, LateralMovement, MaliciousUrl]),
    ];

    /// <summary>Alerts that can join any incident in a later version.</summary>
    public static IReadOnlyList<AlertTemplate> JoiningAlerts { get; } = [PowerShell, LateralMovement, MaliciousUrl, BruteForce];

    public static int SeverityRank(string severity) => severity switch
    {
        "Informational" => 0,
        "Low" => 1,
        "Medium" => 2,
        "High" => 3,
        _ => 0,
    };
}
