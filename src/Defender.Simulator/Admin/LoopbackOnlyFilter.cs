using System.Net;

namespace Defender.Simulator.Admin;

/// <summary>
/// The admin API has no authentication, so it answers only callers on this machine, even when the simulator is
/// bound to a wider address by mistake.
/// </summary>
internal sealed class LoopbackOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        return remote is null || IPAddress.IsLoopback(remote)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Problem("The admin API answers loopback callers only.", statusCode: StatusCodes.Status403Forbidden));
    }
}
