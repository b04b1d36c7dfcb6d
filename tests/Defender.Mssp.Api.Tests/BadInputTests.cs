using System.Net;
using System.Text;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

/// <summary>
/// Bad input of every kind, each answered with its status and an RFC 9457 problem naming the field at fault, and with
/// storage left exactly as it was. Secrets in bad requests are never echoed.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BadInputTests(SharedApi shared) : IClassFixture<SharedApi>, IAsyncLifetime
{
    private const string Secret = "NEVER-ECHO-7f3a9c";
    private const string ExistingTenant = "0b6e1d52-8c9a-4f3e-b1d7-5a2c9e4f8b10";
    private static readonly string TenantId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static readonly string ClientId = "9a0c0305-e82c-4f89-41d3-3f2504e03301";

    private ApiFactory Api => shared.Api;

    public async Task InitializeAsync()
    {
        if (await Api.Admin().GetAsync($"/tenants/{ExistingTenant}") is { StatusCode: HttpStatusCode.NotFound })
        {
            var created = await TestTenants.CreateAsync(Api.Admin(), TestTenants.Body(ExistingTenant));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A valid tenant with <paramref name="change"/> spliced in (JSON members, without braces).</summary>
    private static string Tenant(string change = "", bool withTenantId = true, bool withClientId = true, bool withSecret = true)
    {
        var members = new List<string>();
        if (withTenantId)
        {
            members.Add($"\"tenantId\":\"{TenantId}\"");
        }

        if (withClientId)
        {
            members.Add($"\"clientId\":\"{ClientId}\"");
        }

        if (withSecret)
        {
            members.Add($"\"clientSecret\":\"{Secret}\"");
        }

        if (change.Length > 0)
        {
            members.Add(change);
        }

        return "{" + string.Join(",", members) + "}";
    }

    private static string WithTenantId(string value) => $"{{\"tenantId\":{value},\"clientId\":\"{ClientId}\",\"clientSecret\":\"{Secret}\"}}";

    private static string Csv(params string[] lines) => string.Join("\n", lines) + "\n";

    /// <summary>A <c>credential</c> member from <paramref name="credential"/>, with members replaced as given.</summary>
    private static string Credential(
        System.Text.Json.Nodes.JsonObject credential, string? kind = "certificate", string? password = null, string? pem = null)
    {
        var copy = credential.DeepClone().AsObject();
        copy["kind"] = kind;
        if (password is not null)
        {
            copy["password"] = password;
        }

        if (pem is not null)
        {
            copy["pem"] = pem;
        }

        return CertificateBodies.Member(copy);
    }

    private static System.Text.Json.Nodes.JsonObject PublicPem() =>
        new() { ["kind"] = "certificate", ["pem"] = ClientCertificates.PublicPem(CertificateBodies.Valid) };

    private static System.Text.Json.Nodes.JsonObject EcPfx() =>
        new() { ["kind"] = "certificate", ["pfxBase64"] = CertificateBodies.EcPfxBase64() };

    private static readonly string CsvHeader = "tenantId,clientId,clientSecret,displayName";

    /// <summary>A <c>sinks</c> member with <paramref name="mode"/> and the given sink objects.</summary>
    private static string Sinks(string mode, params string[] sinks) => $"\"sinks\":{{\"mode\":\"{mode}\",\"sinks\":[{string.Join(",", sinks)}]}}";

    private static string CsvSink(string name, string folder) => $"{{\"name\":\"{name}\",\"type\":\"csv\",\"folder\":{System.Text.Json.JsonSerializer.Serialize(folder)}}}";

    /// <summary>A HEC sink carrying the never-echoed secret as its token.</summary>
    private static string Hec(string url, string extra = "") =>
        $"{{\"name\":\"hec\",\"type\":\"hec\",\"url\":\"{url}\",\"token\":\"{Secret}\"{(extra.Length > 0 ? "," + extra : "")}}}";

    private static string Syslog(string port) => $"{{\"name\":\"s\",\"type\":\"syslog\",\"host\":\"siem.example.com\",\"port\":{port}}}";

    private static string CsvRow(string tenantId, string clientId = "", string displayName = "Contoso") =>
        $"{tenantId},{(clientId.Length > 0 ? clientId : Guid.NewGuid().ToString())},{Secret},{displayName}";

    public static readonly Dictionary<string, BadRequest> Cases = new()
    {
        // Missing and malformed identity.
        ["missing tenantId"] = new("POST", "/tenants", Tenant(withTenantId: false), 400, "tenantId"),
        ["missing clientId"] = new("POST", "/tenants", Tenant(withClientId: false), 400, "clientId"),
        ["missing clientSecret"] = new("POST", "/tenants", Tenant(withSecret: false), 400, "clientSecret"),
        ["tenantId not a GUID"] = new("POST", "/tenants", WithTenantId("\"contoso.onmicrosoft.com\""), 400, "tenantId"),
        ["tenantId the empty GUID"] = new("POST", "/tenants", WithTenantId($"\"{Guid.Empty}\""), 400, "tenantId"),
        ["tenantId path traversal"] = new("POST", "/tenants", WithTenantId("\"../../state/x\""), 400, "tenantId"),
        ["tenantId SQL injection"] = new("POST", "/tenants", WithTenantId("\"'; DROP TABLE tenants;--\""), 400, "tenantId"),
        ["tenantId a number"] = new("POST", "/tenants", WithTenantId("42"), 400, "tenantId"),
        ["tenantId an object"] = new("POST", "/tenants", WithTenantId("{\"id\":1}"), 400, "tenantId"),
        ["clientId not a GUID"] = new("POST", "/tenants", Tenant("\"clientId\":\"1234\"", withClientId: false), 400, "clientId"),

        // Wrong types and unknown enum values.
        ["paused a string"] = new("POST", "/tenants", Tenant("\"paused\":\"yes\""), 400, "paused"),
        ["sources not an array"] = new("POST", "/tenants", Tenant("\"sources\":\"incidents\""), 400, "sources"),
        ["sources unknown value"] = new("POST", "/tenants", Tenant("\"sources\":[\"siem-v3\"]"), 400, "sources[0]"),
        ["sources named twice"] = new("POST", "/tenants", Tenant("\"sources\":[\"siem\",\"SIEM\"]"), 400, "sources[1]"),
        ["sources empty"] = new("POST", "/tenants", Tenant("\"sources\":[]"), 400, "sources"),
        ["sources with null"] = new("POST", "/tenants", Tenant("\"sources\":[null]"), 400, "sources[0]"),
        ["sources with a number"] = new("POST", "/tenants", Tenant("\"sources\":[\"siem\",5]"), 400, "sources[1]"),
        ["cloud unknown"] = new("POST", "/tenants", Tenant("\"cloud\":\"AzureChina\""), 400, "cloud"),
        ["cloud as enum number"] = new("POST", "/tenants", Tenant("\"cloud\":1"), 400, "cloud"),
        ["siemRegion unknown"] = new("POST", "/tenants", Tenant("\"siemRegion\":\"ap\""), 400, "siemRegion"),

        // Schedule bounds and formats.
        ["pollInterval too short"] = new("POST", "/tenants", Tenant("\"pollInterval\":\"00:00:05\""), 400, "pollInterval"),
        ["pollInterval too long"] = new("POST", "/tenants", Tenant("\"pollInterval\":\"2.00:00:00\""), 400, "pollInterval"),
        ["pollInterval prose"] = new("POST", "/tenants", Tenant("\"pollInterval\":\"5 minutes\""), 400, "pollInterval"),
        ["pollInterval a number"] = new("POST", "/tenants", Tenant("\"pollInterval\":300"), 400, "pollInterval"),
        ["pollInterval bare days"] = new("POST", "/tenants", Tenant("\"pollInterval\":\"5\""), 400, "pollInterval"),
        ["initialLookback negative"] = new("POST", "/tenants", Tenant("\"initialLookback\":\"-01:00:00\""), 400, "initialLookback"),
        ["initialLookback a year"] = new("POST", "/tenants", Tenant("\"initialLookback\":\"365.00:00:00\""), 400, "initialLookback"),

        // Unknown, duplicate and oversize fields; injection strings.
        ["unknown field"] = new("POST", "/tenants", Tenant("\"tenantName\":\"Contoso\""), 400, "tenantName"),
        ["unknown nested field"] = new("POST", "/tenants", Tenant("\"credential\":{\"sealed\":\"x\"}", withSecret: false), 400, "credential.sealed"),
        ["field given twice"] = new("POST", "/tenants", Tenant($"\"tenantId\":\"{Guid.NewGuid()}\""), 400, "tenantId"),
        ["displayName oversize"] = new("POST", "/tenants", Tenant($"\"displayName\":\"{new string('x', 300)}\""), 400, "displayName"),
        ["displayName spreadsheet formula"] = new("POST", "/tenants", Tenant("\"displayName\":\"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\""), 400, "displayName"),
        ["displayName control character"] = new("POST", "/tenants", Tenant("\"displayName\":\"Contoso\\u0000\\r\\nInjected: yes\""), 400, "displayName"),
        ["clientSecret trailing newline"] = new("POST", "/tenants", Tenant($"\"clientSecret\":\"{Secret}\\n\"", withSecret: false), 400, "clientSecret"),
        ["clientSecret oversize"] = new("POST", "/tenants", Tenant($"\"clientSecret\":\"{Secret}{new string('x', 2000)}\"", withSecret: false), 400, "clientSecret"),
        ["machineGroups empty name"] = new("POST", "/tenants", Tenant("\"machineGroups\":[\"\"]"), 400, "machineGroups[0]"),
        ["machineGroups too many"] = new("POST", "/tenants", Tenant("\"machineGroups\":[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"g{i}\"")) + "]"), 400, "machineGroups"),

        // Certificate credentials (the password is the never-echoed secret) and regional hosts.
        ["certificate and clientSecret both"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pfx(CertificateBodies.Valid, Secret))), 400, "credential"),
        ["certificate kind missing"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pfx(CertificateBodies.Valid, Secret), kind: null), withSecret: false), 400, "credential.kind"),
        ["certificate kind secret"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pfx(CertificateBodies.Valid, Secret), kind: "secret"), withSecret: false), 400, "credential.kind"),
        ["certificate without material"] = new("POST", "/tenants", Tenant("\"credential\":{\"kind\":\"certificate\"}", withSecret: false), 400, "credential.pfxBase64"),
        ["certificate as pfx and pem"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pfx(CertificateBodies.Valid, null), pem: "x"), withSecret: false), 400, "credential"),
        ["certificate pfx not base64"] = new("POST", "/tenants", Tenant("\"credential\":{\"kind\":\"certificate\",\"pfxBase64\":\"<xml/>\"}", withSecret: false), 400, "credential.pfxBase64"),
        ["certificate pfx wrong password"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pfx(CertificateBodies.Valid, "the-right-one"), password: Secret), withSecret: false), 400, "credential.pfxBase64"),
        ["certificate pem without private key"] = new("POST", "/tenants", Tenant(Credential(PublicPem()), withSecret: false), 400, "credential.pem"),
        ["certificate expired"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pfx(CertificateBodies.Expired, Secret)), withSecret: false), 400, "credential.pfxBase64"),
        ["certificate with an EC key"] = new("POST", "/tenants", Tenant(Credential(EcPfx()), withSecret: false), 400, "credential.pfxBase64"),
        ["certificate not an object"] = new("POST", "/tenants", Tenant("\"credential\":\"MIIK\"", withSecret: false), 400, "credential"),
        ["certificate pem oversize"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pem(CertificateBodies.Valid, null), pem: new string('A', 40_000)), withSecret: false), 400, "credential.pem"),
        ["certificate password oversize"] = new("POST", "/tenants", Tenant(Credential(CertificateBodies.Pfx(CertificateBodies.Valid, null), password: new string('p', 2000)), withSecret: false), 400, "credential.password"),
        ["credentials rotation to a bad pfx"] = new("PUT", $"/tenants/{ExistingTenant}/credentials", "{\"credential\":{\"kind\":\"certificate\",\"pfxBase64\":\"AAAA\"}}", 400, "credential.pfxBase64"),
        ["credentials rotation with secret and certificate"] = new("PUT", $"/tenants/{ExistingTenant}/credentials",
            "{" + $"\"clientSecret\":\"{Secret}\"," + Credential(CertificateBodies.Pfx(CertificateBodies.Valid, null)) + "}", 400, "credential"),
        ["xdrRegion unknown"] = new("POST", "/tenants", Tenant("\"xdrRegion\":\"mars\""), 400, "xdrRegion"),
        ["xdrRegion outside the commercial cloud"] = new("POST", "/tenants", Tenant("\"xdrRegion\":\"eu\",\"cloud\":\"GccHigh\""), 400, "xdrRegion"),
        ["patch with unknown xdrRegion"] = new("PATCH", $"/tenants/{ExistingTenant}", "{\"xdrRegion\":\"ap\"}", 400, "xdrRegion"),

        // A tenant's own sinks: kinds, modes, URLs, ports, folders, references and secrets (the HEC token never echoed).
        ["sinks unknown type"] = new("POST", "/tenants", Tenant(Sinks("replace", "{\"name\":\"k\",\"type\":\"kafka\"}")), 400, "sinks.sinks[0].type"),
        ["sinks unknown mode"] = new("POST", "/tenants", Tenant(Sinks("merge", "{\"name\":\"json-lines\"}")), 400, "sinks.mode"),
        ["sinks replace with none"] = new("POST", "/tenants", Tenant(Sinks("replace")), 400, "sinks.sinks"),
        ["sinks without a list"] = new("POST", "/tenants", Tenant("\"sinks\":{\"mode\":\"add\"}"), 400, "sinks.sinks"),
        ["sinks named sink not configured"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"splunk-nowhere\"}")), 400, "sinks.sinks[0].name"),
        ["sinks name with a slash"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"../x\",\"type\":\"csv\",\"folder\":\"x\"}")), 400, "sinks.sinks[0].name"),
        ["sinks name given twice"] = new("POST", "/tenants", Tenant(Sinks("add", CsvSink("a", "x"), CsvSink("A", "y"))), 400, "sinks.sinks[1].name"),
        ["sinks http url plain http"] = new("POST", "/tenants", Tenant(Sinks("add", Hec("http://siem.example.com:8088"))), 400, "sinks.sinks[0].url"),
        ["sinks http url relative"] = new("POST", "/tenants", Tenant(Sinks("add", Hec("/services/collector"))), 400, "sinks.sinks[0].url"),
        ["sinks http url with credentials"] = new("POST", "/tenants", Tenant(Sinks("add", Hec($"https://soc:{Secret}@siem.example.com"))), 400, "sinks.sinks[0].url"),
        ["sinks http url a file"] = new("POST", "/tenants", Tenant(Sinks("add", Hec("file:///etc/passwd"))), 400, "sinks.sinks[0].url"),
        ["sinks hec without token"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"h\",\"type\":\"hec\",\"url\":\"https://siem.example.com\"}")), 400, "sinks.sinks[0].token"),
        ["sinks hec Authorization header"] = new("POST", "/tenants", Tenant(Sinks("add", Hec("https://siem.example.com", $"\"headers\":{{\"Authorization\":\"Splunk {Secret}\"}}"))), 400, "sinks.sinks[0].headers.Authorization"),
        ["sinks hec index uppercase"] = new("POST", "/tenants", Tenant(Sinks("add", Hec("https://siem.example.com", "\"index\":\"Main Index\""))), 400, "sinks.sinks[0].index"),
        ["sinks header value with newline"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"h\",\"type\":\"http\",\"url\":\"https://siem.example.com\",\"headers\":{\"X-Key\":\"a\\r\\nInjected: yes\"}}")), 400, "sinks.sinks[0].headers.X-Key"),
        ["sinks token on a plain http sink"] = new("POST", "/tenants", Tenant(Sinks("add", $"{{\"name\":\"h\",\"type\":\"http\",\"url\":\"https://siem.example.com\",\"token\":\"{Secret}\"}}")), 400, "sinks.sinks[0].token"),
        ["sinks syslog port too high"] = new("POST", "/tenants", Tenant(Sinks("add", Syslog("70000"))), 400, "sinks.sinks[0].port"),
        ["sinks syslog port zero"] = new("POST", "/tenants", Tenant(Sinks("add", Syslog("0"))), 400, "sinks.sinks[0].port"),
        ["sinks syslog port a string"] = new("POST", "/tenants", Tenant(Sinks("add", Syslog("\"514\""))), 400, "sinks.sinks[0].port"),
        ["sinks syslog unknown format"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"s\",\"type\":\"syslog\",\"host\":\"siem.example.com\",\"format\":\"leef\"}")), 400, "sinks.sinks[0].format"),
        ["sinks syslog without host"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"s\",\"type\":\"syslog\"}")), 400, "sinks.sinks[0].host"),
        ["sinks folder climbing out"] = new("POST", "/tenants", Tenant(Sinks("add", CsvSink("c", "soc/../../state"))), 400, "sinks.sinks[0].folder"),
        ["sinks folder absolute"] = new("POST", "/tenants", Tenant(Sinks("add", CsvSink("c", "/etc/cron.d"))), 400, "sinks.sinks[0].folder"),
        ["sinks folder with a backslash"] = new("POST", "/tenants", Tenant(Sinks("add", CsvSink("c", "..\\..\\state"))), 400, "sinks.sinks[0].folder"),
        ["sinks setting of another type"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"c\",\"type\":\"csv\",\"folder\":\"x\",\"url\":\"https://siem.example.com\"}")), 400, "sinks.sinks[0].url"),
        ["sinks reference with settings"] = new("POST", "/tenants", Tenant(Sinks("add", "{\"name\":\"json-lines\",\"folder\":\"x\"}")), 400, "sinks.sinks[0].type"),
        ["sinks unknown field"] = new("POST", "/tenants", Tenant(Sinks("add", $"{{\"name\":\"h\",\"type\":\"hec\",\"url\":\"https://siem.example.com\",\"tokenSecret\":\"{Secret}\"}}")), 400, "sinks.sinks[0].tokenSecret"),
        ["sinks entry null"] = new("POST", "/tenants", Tenant(Sinks("add", "null")), 400, "sinks.sinks[0]"),
        ["patch sinks with a bad port"] = new("PATCH", $"/tenants/{ExistingTenant}", "{" + Sinks("replace", Syslog("65536")) + "}", 400, "sinks.sinks[0].port"),
        ["bulk JSON sink with a bad URL by line"] = new("POST", "/tenants/bulk?atomic=true", "[\n" + Tenant(Sinks("add", Hec("ftp://siem.example.com"))) + "\n]", 400, "line 2: sinks.sinks[0].url"),

        // Bodies that are not a tenant at all.
        ["body an array"] = new("POST", "/tenants", "[" + Tenant() + "]", 400, "body"),
        ["body malformed"] = new("POST", "/tenants", "{\"tenantId\":", 400, "body"),
        ["body empty"] = new("POST", "/tenants", "", 400, "body"),
        ["body with trailing garbage"] = new("POST", "/tenants", Tenant() + "x", 400, "body"),
        ["body nested too deep"] = new("POST", "/tenants", Tenant("\"displayName\":" + new string('[', 40) + new string(']', 40)), 400, "body"),
        ["body oversize"] = new("POST", "/tenants", Tenant($"\"displayName\":\"{new string('x', 70_000)}\""), 413, "body"),
        ["body not JSON content type"] = new("POST", "/tenants", Tenant(), 415, null, "text/plain"),

        // Other endpoints.
        ["route tenantId not a GUID"] = new("GET", "/tenants/contoso", null, 400, "tenantId"),
        ["status route tenantId not a GUID"] = new("GET", "/tenants/..%2Fstate/status", null, 400, "tenantId"),
        ["patch with nothing to change"] = new("PATCH", $"/tenants/{ExistingTenant}", "{}", 400, "body"),
        ["patch of the secret"] = new("PATCH", $"/tenants/{ExistingTenant}", $"{{\"clientSecret\":\"{Secret}\"}}", 400, "clientSecret"),
        ["patch of the tenant id"] = new("PATCH", $"/tenants/{ExistingTenant}", $"{{\"tenantId\":\"{Guid.NewGuid()}\"}}", 400, "tenantId"),
        ["patch of paused"] = new("PATCH", $"/tenants/{ExistingTenant}", "{\"paused\":true}", 400, "paused"),
        ["patch with bad interval"] = new("PATCH", $"/tenants/{ExistingTenant}", "{\"pollInterval\":\"00:00:01\"}", 400, "pollInterval"),
        ["credentials without secret"] = new("PUT", $"/tenants/{ExistingTenant}/credentials", "{}", 400, "clientSecret"),
        ["credentials with bad client id"] = new("PUT", $"/tenants/{ExistingTenant}/credentials", $"{{\"clientSecret\":\"{Secret}\",\"clientId\":\"app\"}}", 400, "clientId"),
        ["list page size zero"] = new("GET", "/tenants?pageSize=0", null, 400, "pageSize"),
        ["list unknown health"] = new("GET", "/tenants?health=Sick", null, 400, "health"),
        ["list forged continuation"] = new("GET", "/tenants?continuationToken=Li4vLi4vc3RhdGU", null, 400, "continuationToken"),
        ["delete purge not a flag"] = new("DELETE", $"/tenants/{ExistingTenant}?purge=maybe", null, 400, "purge"),
        ["bulk atomic not a flag"] = new("POST", "/tenants/bulk?atomic=maybe", "[" + Tenant() + "]", 400, "atomic"),
        ["bulk JSON not an array"] = new("POST", "/tenants/bulk", Tenant(), 400, "body"),
        ["bulk CSV unknown column"] = new("POST", "/tenants/bulk", Csv(CsvHeader + ",owner", CsvRow(TenantId) + ",bob"), 400, "line 1: column 5", "text/csv"),
        ["bulk CSV required column missing"] = new("POST", "/tenants/bulk", Csv("tenantId,clientId", $"{TenantId},{ClientId}"), 400, "line 1: clientSecret", "text/csv"),
        ["bulk CSV bad rows, atomic"] = new("POST", "/tenants/bulk?atomic=true",
            Csv(CsvHeader, CsvRow(TenantId), CsvRow(Guid.NewGuid().ToString(), clientId: "not-a-guid"), CsvRow("bad-tenant")), 400, "line 3: clientId", "text/csv"),
        ["bulk CSV only bad rows"] = new("POST", "/tenants/bulk", Csv(CsvHeader, CsvRow(Guid.NewGuid().ToString(), displayName: "@SUM(A1)")), 400, "line 2: displayName", "text/csv"),
        ["bulk CSV unterminated quote"] = new("POST", "/tenants/bulk", Csv(CsvHeader, "\"" + CsvRow(TenantId)), 400, "line 2: row", "text/csv"),
        ["bulk CSV existing tenant, atomic"] = new("POST", "/tenants/bulk?atomic=true", Csv(CsvHeader, CsvRow(TenantId), CsvRow(ExistingTenant)), 409, "line 3: tenantId", "text/csv"),
        ["bulk JSON bad element by line"] = new("POST", "/tenants/bulk?atomic=true", "[\n" + Tenant() + ",\n" + WithTenantId("7") + "\n]", 400, "line 3: tenantId"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Fact]
    public void The_suite_has_at_least_thirty_cases() => Assert.True(Cases.Count >= 30);

    [Fact]
    public void The_suite_has_at_least_eight_sink_cases() =>
        Assert.True(Cases.Count(pair => pair.Value.Field?.Contains("sinks", StringComparison.Ordinal) == true) >= 8);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_refused_naming_the_field_and_nothing_is_stored(string name)
    {
        var bad = Cases[name];
        var before = (await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing();
        var request = new HttpRequestMessage(new HttpMethod(bad.Method), bad.Path);
        if (bad.Body is not null)
        {
            request.Content = new StringContent(bad.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(bad.ContentType);
        }

        var response = await Api.Admin().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(bad.Status == (int)response.StatusCode, $"{name}: expected {bad.Status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (bad.Field is not null)
        {
            var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            var fields = problem["errors"]?.AsObject().Select(pair => pair.Key).ToList() ?? [];
            Assert.True(fields.Contains(bad.Field), $"{name}: expected an error for '{bad.Field}', got [{string.Join(", ", fields)}]: {text}");
        }

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.True(before.SameAs((await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing()), $"{name}: storage changed");
    }

    /// <summary>One bad request and what it must get.</summary>
    public sealed record BadRequest(string Method, string Path, string? Body, int Status, string? Field, string ContentType = "application/json");
}
