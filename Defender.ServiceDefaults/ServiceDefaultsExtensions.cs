using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Defender.Mssp process shares: console logging with scopes and UTC timestamps, OpenTelemetry logs,
/// metrics and traces (exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), health checks with the
/// <c>/health</c> (all checks) and <c>/alive</c> (liveness only) endpoints, and a resilience pipeline on HttpClients.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the health checks that <c>/alive</c> runs: only "the process is responsive".</summary>
    public const string LiveTag = "live";

    public const string HealthPath = "/health";

    public const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddDefaultHttpClientResilience();
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    private static readonly HttpMethodMetadata ProbeMethods = new([HttpMethods.Get]);

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Probes are read-only: GET only, so nothing else is answered at these paths.
        app.MapHealthChecks(HealthPath).WithMetadata(ProbeMethods);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }).WithMetadata(ProbeMethods);
        return app;
    }
}
