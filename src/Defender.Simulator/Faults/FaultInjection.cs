using System.Text;

namespace Defender.Simulator.Faults;

/// <summary>Carries out a fault rule on a request; the status-specific body is left to the endpoint's own writer.</summary>
internal static class FaultInjection
{
    /// <summary>Default <c>Retry-After</c> for an injected 429 without one.</summary>
    public const int DefaultRetryAfterSeconds = 30;

    private static readonly byte[] TruncatedJson = Encoding.UTF8.GetBytes("""{"@odata.context":"","value":[{"incidentId":""");

    /// <summary>Applies the fault. Returns true when the response is finished, false when the request should be served.</summary>
    public static async Task<bool> ApplyAsync(
        HttpContext context, FaultRule rule, TimeProvider time, Func<HttpContext, FaultRule, Task> writeStatus)
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
            case FaultKind.MalformedJson:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.Body.WriteAsync(TruncatedJson, context.RequestAborted).ConfigureAwait(false);
                return true;
            default:
                await writeStatus(context, rule).ConfigureAwait(false);
                return true;
        }
    }

    public static int RetryAfter(FaultRule rule) => rule.RetryAfterSeconds ?? DefaultRetryAfterSeconds;
}
