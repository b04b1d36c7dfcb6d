using Defender.Mssp.Api;
using Defender.Mssp.Api.Bulk;
using Defender.Mssp.Api.Endpoints;
using Defender.Mssp.Api.Json;
using Defender.Mssp.Api.OpenApi;
using Defender.Mssp.Api.Options;
using Defender.Mssp.Api.Security;
using Defender.Mssp.Api.Status;
using Defender.Mssp.Api.Tenants;
using Defender.Mssp.Api.Validation;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Tenants;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The management API: what it registers and the endpoints it maps.</summary>
public static class TenantsApiExtensions
{
    /// <summary>
    /// Registers the tenant store with the shared Data Protection key ring (<c>Storage</c>, <c>DataProtection</c>), the
    /// grain state reader, the purger (<c>Api:Purge</c>, <c>Sinks:JsonLines:Path</c>), validation bounds
    /// (<c>Api:Tenants</c>), request limits (<c>Api:Limits</c>), authentication (<c>Api:Authentication</c>), rate limiting
    /// (<c>Api:RateLimit</c>), ProblemDetails and the OpenAPI document.
    /// </summary>
    public static TBuilder AddTenantsApi<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // An AppHost injects the storage as ConnectionStrings:storage, as Aspire does; the silos read it the same way.
        if (configuration.GetConnectionString("storage") is { Length: > 0 } injected && string.IsNullOrEmpty(configuration["Storage:ConnectionString"]))
        {
            configuration["Storage:ConnectionString"] = injected;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddTenantStore(configuration);
        services.AddBlobGrainStorage(configuration);
        services.AddTenantDataPurger(configuration);
        services.AddOptions<TenantPurgeOptions>()
            .Bind(configuration.GetSection("Api:Purge"))
            .Configure(options =>
            {
                options.SinkPath ??= configuration["Sinks:JsonLines:Path"] ?? "./sink";
                options.DataPaths.AddRange(PurgedDataPaths.From(configuration, options.SinkPath));
                options.TenantSinkFolderRoot ??= configuration["TenantSinks:FolderRoot"] ?? PurgedDataPaths.DefaultTenantSinkFolderRoot;
            });
        services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TenantRulesOptions>().BindConfiguration(TenantRulesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CertificateStatusOptions>().BindConfiguration(CertificateStatusOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageExceptionHandler>();
        builder.AddManagementApiSecurity();
        services.AddManagementRateLimiting();
        var jwtEnabled = configuration.GetSection(ManagementAuthenticationOptions.SectionName).Get<ManagementAuthenticationOptions>()?.Jwt.Enabled == true;
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(new SecuritySchemesTransformer(jwtEnabled));
            options.AddSchemaTransformer<DurationSchemaTransformer>();
        });

        services.TryAddSingleton<GlobalSinkNames>();
        services.TryAddSingleton<TenantRequestValidator>();
        services.TryAddSingleton<TenantWriter>();
        services.TryAddSingleton<BulkOnboarding>();
        services.TryAddSingleton<TenantQuery>();
        services.TryAddSingleton(sp => new StateBlobs(
            sp.GetRequiredService<BlobContainerClient>(),
            sp.GetRequiredService<IOptions<BlobGrainStorageOptions>>().Value.StatePrefix));
        services.TryAddSingleton(sp =>
        {
            // The silos' own settings say where heartbeats are and when one is stale; the API only reads them.
            var cluster = configuration.GetSection(ClusterOptions.SectionName);
            return new MembershipTable(
                sp.GetRequiredService<BlobContainerClient>(),
                cluster[nameof(ClusterOptions.SiloPrefix)] is { Length: > 0 } prefix ? prefix : ClusterOptions.DefaultSiloPrefix,
                cluster.GetValue(nameof(ClusterOptions.SiloStaleAfter), ClusterOptions.DefaultSiloStaleAfter),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<MembershipTable>>());
        });
        services.TryAddSingleton<TenantStatusReader>();
        services.TryAddSingleton<ClusterReader>();
        return builder;
    }

    /// <summary>
    /// Adds the API's middleware (exception handling, ProblemDetails for bare status codes, authentication, rate
    /// limiting, authorization) and maps <c>/tenants…</c>, <c>/cluster</c> and <c>/openapi/v1.json</c>, every one of
    /// them authenticated. Call after <c>MapDefaultEndpoints</c>, whose <c>/health</c> and <c>/alive</c> stay anonymous.
    /// </summary>
    public static WebApplication MapTenantsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        var tenants = app.MapGroup("/tenants")
            .WithTags("Tenants")
            .RequireRateLimiting(ManagementRateLimiting.PolicyName)
            .AddEndpointFilter<TenantExceptionFilter>();
        tenants.MapTenantEndpoints();
        tenants.MapTenantCommandEndpoints();
        app.MapClusterEndpoints();
        app.MapOpenApi()
            .RequireAuthorization(ApiPolicies.Read)
            .RequireRateLimiting(ManagementRateLimiting.PolicyName);
        return app;
    }
}
