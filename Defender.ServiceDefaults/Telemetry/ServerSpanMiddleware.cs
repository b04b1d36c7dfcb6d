using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Defender.ServiceDefaults.Telemetry;

/// <summary>
/// Gives ASP.NET Core's own request span (which carries no attributes by itself) what OpenTelemetry's ASP.NET Core
/// instrumentation would — <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c>,
/// <c>http.response.status_code</c> and a <c>GET /route</c> name — and drops the spans of health probes, which an
/// orchestrator sends every few seconds and nobody wants to read.
/// </summary>
internal sealed class ServerSpanMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null || !activity.IsAllDataRequested)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        if (request.Path.Equals(ServiceDefaultsExtensions.HealthPath, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(ServiceDefaultsExtensions.AlivePath, StringComparison.OrdinalIgnoreCase))
        {
            // Not recorded: the SDK's export processors skip it when it ends.
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }

        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            activity.DisplayName = route is null ? request.Method : request.Method + " " + route;
            activity.SetTag("http.route", route);
            activity.SetTag("http.response.status_code", context.Response.StatusCode);
            if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}

/// <summary>Puts <see cref="ServerSpanMiddleware"/> first in the pipeline, whatever order the app adds its own in.</summary>
internal sealed class ServerSpanStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ServerSpanMiddleware>();
        next(app);
    };
}
