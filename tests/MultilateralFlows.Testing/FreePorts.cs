using System.Net;
using System.Net.Sockets;

namespace MultilateralFlows.Testing;

/// <summary>Loopback ports nobody listens on right now.</summary>
public static class FreePorts
{
    static readonly object Gate = new();
    static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();

                // Never hand the same port to two fixtures of this process.
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool>? stillRunning = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until && (stillRunning?.Invoke() ?? true))
            {
                await Task.Delay(100);
            }
        }
    }
}
