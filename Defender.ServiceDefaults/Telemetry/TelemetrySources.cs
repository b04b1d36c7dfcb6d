namespace Defender.ServiceDefaults.Telemetry;

/// <summary>
/// The meters and activity sources every process exports: the product's own and those the framework publishes by
/// itself. OpenTelemetry's instrumentation packages cannot be restored here, and the framework's built-in telemetry
/// (ASP.NET Core 8+, HttpClient and DNS 9+, the runtime 9+) makes them unnecessary for metrics and spans alike.
/// </summary>
public static class TelemetrySources
{
    /// <summary>The product's meter and activity source (<c>Defender.Mssp</c>), shared by every library of the product.</summary>
    public const string Product = "Defender.Mssp";

    /// <summary>Meters the framework publishes: server requests, Kestrel connections, HttpClient, DNS and the runtime.</summary>
    public static IReadOnlyList<string> FrameworkMeters { get; } =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
    ];

    /// <summary>Activity sources the framework publishes: incoming requests, outgoing HttpClient requests and DNS.</summary>
    public static IReadOnlyList<string> FrameworkActivitySources { get; } =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "System.Net.NameResolution",
    ];
}
