using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Defender.Mssp.Api.Tests;

/// <summary>
/// JWT bearer from Entra ID, with the issuer's metadata and signing key given in-process (no network): app roles map to
/// Reader and Admin; anything else about the token that is wrong is 401.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class JwtBearerTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    private const string Issuer = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0";
    private const string Audience = "api://defender-mssp";

    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32));

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Api:Authentication:Jwt:Authority"] = Issuer,
        ["Api:Authentication:Jwt:Audience"] = Audience,
    };

    protected override Action<IServiceCollection> Services => services =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(_key);
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        });

    [Fact]
    public async Task The_admin_app_role_may_onboard_and_the_reader_role_only_read()
    {
        var admin = WithToken(Token(roles: ["Defender.Mssp.Admin"]));
        var reader = WithToken(Token(roles: ["Defender.Mssp.Reader"]));

        var created = await admin.PostAsync("/tenants", JsonContent.Create(TestTenants.Body()));
        var readerCreate = await reader.PostAsync("/tenants", JsonContent.Create(TestTenants.Body()));
        var readerList = await reader.GetAsync("/tenants");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("user-oid", (await BodyAsync(created))["updatedBy"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, readerCreate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readerList.StatusCode);
    }

    [Fact]
    public async Task A_valid_token_without_a_known_role_or_with_a_forged_role_claim_is_forbidden()
    {
        var noRole = WithToken(Token(roles: ["Something.Else"]));
        var forged = WithToken(Token(roles: [], extra: new Dictionary<string, object> { ["defender.mssp.role"] = "Admin" }));

        Assert.Equal(HttpStatusCode.Forbidden, (await noRole.GetAsync("/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await forged.GetAsync("/tenants")).StatusCode);
    }

    [Fact]
    public async Task Expired_tokens_and_tokens_for_another_audience_or_signed_by_another_key_are_401()
    {
        var expired = WithToken(Token(roles: ["Defender.Mssp.Admin"], expires: DateTime.UtcNow.AddMinutes(-10)));
        var otherAudience = WithToken(Token(roles: ["Defender.Mssp.Admin"], audience: "api://someone-else"));
        var otherKey = WithToken(Token(roles: ["Defender.Mssp.Admin"], key: new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32))));

        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherAudience.GetAsync("/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherKey.GetAsync("/tenants")).StatusCode);
    }

    [Fact]
    public async Task Api_keys_keep_working_beside_tokens_and_the_document_offers_both()
    {
        var document = await BodyAsync(await Reader.GetAsync("/openapi/v1.json"));

        Assert.NotNull(document["components"]!["securitySchemes"]!["Bearer"]);
        Assert.NotNull(document["components"]!["securitySchemes"]!["ApiKey"]);
    }

    private HttpClient WithToken(string token)
    {
        var client = Api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private string Token(string[] roles, DateTime? expires = null, string audience = Audience, SecurityKey? key = null, Dictionary<string, object>? extra = null)
    {
        var claims = new Dictionary<string, object> { ["oid"] = "user-oid" };
        if (roles.Length > 0)
        {
            claims["roles"] = roles;
        }

        foreach (var (name, value) in extra ?? [])
        {
            claims[name] = value;
        }

        var notBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.HmacSha256),
        });
    }
}
