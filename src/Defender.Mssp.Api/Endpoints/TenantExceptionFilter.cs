using Defender.Mssp.Api.Tenants;
using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Api.Endpoints;

/// <summary>Answers the tenant store's domain exceptions with their problem responses, for every tenant endpoint.</summary>
public sealed class TenantExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (TenantNotFoundException e)
        {
            return ApiProblems.TenantNotFound(e.TenantId);
        }
        catch (TenantAlreadyExistsException e)
        {
            return ApiProblems.TenantExists(e.TenantId);
        }
        catch (PreconditionFailedException e)
        {
            return ApiProblems.PreconditionFailed(e.TenantId);
        }
        catch (TenantConcurrencyException e)
        {
            return ApiProblems.UpdateConflict(e.TenantId);
        }
        catch (TenantPausedException e)
        {
            return ApiProblems.Paused(e.TenantId);
        }
    }
}
