using System.Net;
using System.Net.Sockets;

namespace Defender.AppHost.Hosting;

/// <summary>Loopback ports for the children: picked free at start, so two runs on one machine do not collide.</summary>
internal static class FreePort
{
    /// <summary>A loopback port free right now; the child binds it moments later.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether a fixed port can be bound on loopback right now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
