namespace Defender.Mssp.Api.Dashboard.Hosting;

/// <summary>
/// Response headers of the dashboard. The page runs only its own script files (no inline script or style, no eval, no
/// HTML sinks: Trusted Types with no policy makes any <c>innerHTML</c> throw), talks only to this origin, cannot be
/// framed and cannot submit a form anywhere — so the API key it holds in session storage has no way out but the
/// <c>X-Api-Key</c> header to this API.
/// </summary>
public static class DashboardHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
        + "require-trusted-types-for 'script'; trusted-types 'none'";

    /// <summary>The page and its files: revalidated on every load (by ETag), so a new build is picked up at once.</summary>
    public static void ApplyToAsset(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = "no-cache";
    }

    /// <summary>The page's data: authenticated, so never stored by a browser or proxy.</summary>
    public static void ApplyToData(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
