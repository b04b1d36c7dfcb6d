using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>Checks every cloud's endpoints at start, so a typo fails the process instead of the first poll.</summary>
internal sealed class DefenderEndpointsOptionsValidator : IValidateOptions<DefenderEndpointsOptions>
{
    public ValidateOptionsResult Validate(string? name, DefenderEndpointsOptions options)
    {
        var failures = new List<string>();
        foreach (var (cloud, endpoints) in options.All())
        {
            if (endpoints is null)
            {
                failures.Add($"Defender:{cloud} is missing.");
                continue;
            }

            // MSAL accepts only https authorities and appends "/{tenant}/oauth2/v2.0/token" to the host.
            var authority = endpoints.AuthorityHost;
            if (authority is null || !authority.IsAbsoluteUri || authority.Scheme != Uri.UriSchemeHttps
                || authority.AbsolutePath.Trim('/').Length > 0 || authority.Query.Length > 0)
            {
                failures.Add($"Defender:{cloud}:AuthorityHost must be an https URL without a path (was '{authority}').");
            }

            CheckBase(failures, cloud, nameof(DefenderCloudEndpoints.XdrApiBase), endpoints.XdrApiBase);
            CheckBase(failures, cloud, nameof(DefenderCloudEndpoints.EndpointApiBase), endpoints.EndpointApiBase);
            CheckBase(failures, cloud, nameof(DefenderCloudEndpoints.GraphBase), endpoints.GraphBase);
            foreach (var (region, url) in endpoints.XdrRegionalBases ?? [])
            {
                CheckBase(failures, cloud, $"XdrRegionalBases:{region}", url);
            }

            foreach (var (region, url) in endpoints.SiemBases ?? [])
            {
                CheckBase(failures, cloud, $"SiemBases:{region}", url);
            }

            CheckResource(failures, cloud, nameof(DefenderCloudEndpoints.IncidentsResource), endpoints.IncidentsResource);
            CheckResource(failures, cloud, nameof(DefenderCloudEndpoints.SiemResource), endpoints.SiemResource);
            CheckResource(failures, cloud, nameof(DefenderCloudEndpoints.EndpointResource), endpoints.EndpointResource);
            CheckResource(failures, cloud, nameof(DefenderCloudEndpoints.GraphResource), endpoints.GraphResource);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckBase(List<string> failures, object cloud, string key, Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || url.Query.Length > 0)
        {
            failures.Add($"Defender:{cloud}:{key} must be an absolute http(s) URL without a query (was '{url}').");
        }
    }

    private static void CheckResource(List<string> failures, object cloud, string key, string? resource)
    {
        if (string.IsNullOrWhiteSpace(resource))
        {
            failures.Add($"Defender:{cloud}:{key} must not be empty.");
        }
    }
}
