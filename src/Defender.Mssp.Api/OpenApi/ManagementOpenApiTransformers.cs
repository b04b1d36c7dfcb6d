using Defender.Mssp.Api.Json;
using Defender.Mssp.Api.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Defender.Mssp.Api.OpenApi;

/// <summary>Declares the API's authentication in the OpenAPI document: API keys always, JWT bearer when configured.</summary>
internal sealed class SecuritySchemesTransformer(bool jwtEnabled) : IOpenApiDocumentTransformer
{
    public const string ApiKeySchemeName = "ApiKey";

    public const string BearerSchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Defender.Mssp management API";
        document.Info.Description = "Onboard, change, pause, poll and remove customer tenants; read their status and the cluster's.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = $"An API key (also accepted as 'Authorization: {ApiKeyAuthenticationHandler.AuthorizationScheme} <key>'). Roles: Reader, Admin.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeySchemeName, document)] = [] });
        if (jwtEnabled)
        {
            document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An Entra ID access token for this API with the Reader or Admin app role.",
            };
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeName, document)] = [] });
        }

        return Task.CompletedTask;
    }
}

/// <summary>Durations are strings on the wire (see <see cref="Durations"/>), which a custom converter hides from the schema generator.</summary>
internal sealed class DurationSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(TimeSpan) || type == typeof(TimeSpan?))
        {
            schema.Type = type == typeof(TimeSpan) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Description ??= Durations.Description;
        }

        return Task.CompletedTask;
    }
}
