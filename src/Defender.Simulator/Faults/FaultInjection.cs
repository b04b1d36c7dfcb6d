using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Defender.Simulator.Faults;

/// <summary>Carries out a fault rule on a request; the status-specific body is left to the endpoint's own writer.</summary>
internal static class FaultInjection
{
    /// <summary>Default <c>Retry-After</c> for an injected 429 without one.</summary>
    public const int DefaultRetryAfterSeconds = 30;

    private static readonly byte[] TruncatedJson = Encoding.UTF8.GetBytes("""{"@odata.context":"","value":[{"incidentId":""");

    /// <summary>
    /// Applies the fault. Returns true when the response is finished, false when the request should be served.
    /// Faults that spoil the real page call <paramref name="serve"/> into a buffer and rewrite what it wrote; without
    /// it (the token endpoint) they answer with a fixed truncated body.
    /// </summary>
    public static async Task<bool> ApplyAsync(
        HttpContext context, FaultRule rule, TimeProvider time, Func<HttpContext, FaultRule, Task> writeStatus,
        Func<HttpContext, Task>? serve = null, RecordFields? fields = null)
    {
        switch (rule.Kind)
        {
            case FaultKind.Stall:
                // On the simulator's clock, so a test can hold a request and release it by advancing time.
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, rule.StallSeconds)), time, context.RequestAborted).ConfigureAwait(false);
                return false;
            case FaultKind.Reset:
                context.Abort();
                return true;
            case FaultKind.EmptyBody:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength = 0;
                return true;
            case FaultKind.MalformedJson:
                await WriteJsonAsync(context, TruncatedJson).ConfigureAwait(false);
                return true;
            case FaultKind.TruncatedJson or FaultKind.StallMidBody or FaultKind.MissingField or FaultKind.BadTimestamp
                or FaultKind.DuplicateRecords:
                if (serve is null)
                {
                    await WriteJsonAsync(context, TruncatedJson).ConfigureAwait(false);
                    return true;
                }

                await SpoilAsync(context, rule, time, serve, fields ?? RecordFields.Default).ConfigureAwait(false);
                return true;
            default:
                await writeStatus(context, rule).ConfigureAwait(false);
                return true;
        }
    }

    public static int RetryAfter(FaultRule rule) => rule.RetryAfterSeconds ?? DefaultRetryAfterSeconds;

    /// <summary>
    /// Sets <c>Retry-After</c> as an HTTP date when the rule asks for one; returns the seconds to put in the header
    /// (null: no delta header, as for <see cref="RetryAfterFormat.HttpDate"/> and <see cref="RetryAfterFormat.BodyOnly"/>).
    /// </summary>
    public static int? RetryAfterHeader(HttpContext context, FaultRule rule, DateTimeOffset now)
    {
        var seconds = RetryAfter(rule);
        switch (rule.RetryAfterFormat)
        {
            case RetryAfterFormat.HttpDate:
                context.Response.Headers.RetryAfter = now.AddSeconds(seconds).ToString("R", CultureInfo.InvariantCulture);
                return null;
            case RetryAfterFormat.BodyOnly:
                return null;
            default:
                return seconds;
        }
    }

    private static async Task SpoilAsync(
        HttpContext context, FaultRule rule, TimeProvider time, Func<HttpContext, Task> serve, RecordFields fields)
    {
        var body = await ServeIntoBufferAsync(context, serve).ConfigureAwait(false);
        var response = context.Response;
        response.ContentLength = null;
        if (response.StatusCode != StatusCodes.Status200OK)
        {
            // The request itself failed (bad query, …): pass that on unspoiled.
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        switch (rule.Kind)
        {
            case FaultKind.TruncatedJson:
                await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted).ConfigureAwait(false);
                return;
            case FaultKind.StallMidBody:
                await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, rule.StallSeconds)), time, context.RequestAborted).ConfigureAwait(false);
                await response.Body.WriteAsync(body.AsMemory(body.Length / 2), context.RequestAborted).ConfigureAwait(false);
                return;
            default:
                await response.Body.WriteAsync(PageSpoiler.Spoil(body, rule, fields), context.RequestAborted).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Runs the endpoint with its body going to memory; status and headers stay on the real response.</summary>
    private static async Task<byte[]> ServeIntoBufferAsync(HttpContext context, Func<HttpContext, Task> serve)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await serve(context).ConfigureAwait(false);
            await capture.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(original);
        }

        return buffer.ToArray();
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
