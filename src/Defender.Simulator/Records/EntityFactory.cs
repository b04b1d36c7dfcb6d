namespace Defender.Simulator.Records;

/// <summary>Makes the entities of incident alerts, filling the fields the API documents for each entity type.</summary>
internal static class EntityFactory
{
    /// <summary>Every entity field in the order the API writes them; fields a type does not carry are null.</summary>
    public static IReadOnlyList<string> FieldNames { get; } =
    [
        "sha1", "sha256", "fileName", "filePath", "processId", "processCommandLine", "processCreationTime",
        "parentProcessId", "parentProcessCreationTime", "ipAddress", "url", "accountName", "domainName", "userSid",
        "aadUserId", "userPrincipalName", "mailboxDisplayName", "mailboxAddress", "clusterBy", "sender", "recipient",
        "subject", "deliveryAction", "securityGroupId", "securityGroupName", "registryHive", "registryKey",
        "registryValueType", "registryValue", "deviceId",
    ];

    private static readonly string[] Files = ["invoice_2291.exe", "Detector.UnitTests.dll", "payload.ps1", "update.bat"];
    private static readonly string[] Urls = ["down.esales360.cn", "cdn-update.example.net", "login-micros0ft.example.org"];
    private static readonly string[] Subjects = ["[EXTERNAL] Attention", "Invoice overdue", "Your parcel is waiting"];

    public static EntityState Create(EntityKind kind, TenantProfile profile, DeviceProfile device, DateTimeOffset time, DeterministicRandom random)
    {
        var entity = new EntityState(kind);
        var f = entity.Fields;
        var user = random.Pick(profile.Users);
        switch (kind)
        {
            case EntityKind.User:
                f["accountName"] = user;
                f["domainName"] = profile.Domain.Split('.')[0];
                f["userSid"] = $"S-1-5-21-{random.NextDigits(10)}-{random.NextDigits(9)}-{random.NextDigits(10)}-{random.Next(1000, 99999)}";
                f["aadUserId"] = random.NextGuid().ToString();
                f["userPrincipalName"] = user + "@" + profile.Domain;
                break;
            case EntityKind.Ip:
                f["ipAddress"] = $"{random.Next(11, 223)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
                break;
            case EntityKind.Url:
                f["url"] = random.Pick(Urls);
                break;
            case EntityKind.File:
                f["sha1"] = random.NextHex(40);
                f["sha256"] = random.NextHex(64);
                f["fileName"] = random.Pick(Files);
                f["filePath"] = @"C:\Users\" + user + @"\Downloads";
                f["deviceId"] = device.DeviceId;
                break;
            case EntityKind.Process:
                var created = time - random.NextTimeSpan(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
                f["sha1"] = random.NextHex(40);
                f["fileName"] = "powershell.exe";
                f["filePath"] = @"C:\Windows\System32\WindowsPowerShell\v1.0";
                f["processId"] = random.Next(1000, 60000);
                f["processCommandLine"] = "powershell.exe -NoP -W Hidden -Enc " + random.NextBase64(24);
                f["processCreationTime"] = created;
                f["parentProcessId"] = random.Next(1000, 60000);
                f["parentProcessCreationTime"] = created - random.NextTimeSpan(TimeSpan.FromSeconds(1), TimeSpan.FromHours(2));
                f["accountName"] = user;
                f["deviceId"] = device.DeviceId;
                break;
            case EntityKind.MailBox:
                f["userPrincipalName"] = user + "@" + profile.Domain;
                f["mailboxDisplayName"] = user.Replace('.', ' ');
                f["mailboxAddress"] = user + "@" + profile.Domain;
                break;
            case EntityKind.MailMessage:
                f["userPrincipalName"] = user + "@" + profile.Domain;
                f["sender"] = "user.abc@mail.example.co.in";
                f["recipient"] = user + "@" + profile.Domain;
                f["subject"] = random.Pick(Subjects);
                f["deliveryAction"] = random.Chance(0.5) ? "Delivered" : "Blocked";
                break;
            case EntityKind.MailCluster:
                f["clusterBy"] = random.Chance(0.5) ? "Subject;P2SenderDomain;ContentType" : "BodyFingerprintBin1;SenderIp;ContentType";
                break;
            case EntityKind.Registry:
                f["registryHive"] = "HKEY_LOCAL_MACHINE";
                f["registryKey"] = @"SYSTEM\CurrentControlSet\Services\svc" + random.NextHex(6);
                f["registryValueType"] = "String";
                f["registryValue"] = @"%SystemRoot%\Temp\" + random.NextHex(8) + ".exe";
                f["deviceId"] = device.DeviceId;
                break;
        }

        return entity;
    }
}
