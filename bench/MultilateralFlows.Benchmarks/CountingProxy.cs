using System.Net;
using System.Net.Sockets;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// A loopback TCP relay in front of one Azurite service that counts the HTTP requests passing through (request lines
/// ending in <c>HTTP/1.1</c>): how many storage requests a reply costs, whatever part of the host makes them.
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    static readonly byte[] RequestLineEnd = "HTTP/1.1\r\n"u8.ToArray();

    readonly TcpListener listener;
    readonly int target;
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;
    long requests;

    public CountingProxy(int targetPort)
    {
        target = targetPort;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public long Requests => Interlocked.Read(ref requests);

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, target, stop.Token);
                var upstream = client.GetStream();
                var downstream = server.GetStream();
                await Task.WhenAny(PumpAsync(upstream, downstream, count: true), PumpAsync(downstream, upstream, count: false));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    async Task PumpAsync(NetworkStream from, NetworkStream to, bool count)
    {
        var buffer = new byte[64 * 1024];
        var carry = 0;
        while (true)
        {
            var read = await from.ReadAsync(buffer.AsMemory(carry), stop.Token);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(carry, read), stop.Token);
            if (!count)
            {
                continue;
            }

            var seen = buffer.AsSpan(0, carry + read);
            for (var at = seen.IndexOf(RequestLineEnd); at >= 0; at = seen.IndexOf(RequestLineEnd))
            {
                Interlocked.Increment(ref requests);
                seen = seen[(at + RequestLineEnd.Length)..];
            }

            // Keep the tail, in case a request line is split across two reads.
            carry = Math.Min(seen.Length, RequestLineEnd.Length - 1);
            seen[^carry..].CopyTo(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }
}
