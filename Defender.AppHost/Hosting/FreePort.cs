using System.Net;
using System.Net.Sockets;

namespace Defender.AppHost.Hosting;

internal static class FreePort
{
    /// <summary>A loopback port free right now; the child binds it moments later.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
