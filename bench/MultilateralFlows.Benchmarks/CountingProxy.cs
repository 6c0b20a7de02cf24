using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// A loopback TCP relay in front of one Azurite service that counts the HTTP requests passing through (request lines
/// ending in <c>HTTP/1.1</c>): how many storage requests a reply costs, whatever part of the host makes them, and of
/// which kind (method and resource, keys and query left out).
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    static readonly byte[] RequestLineEnd = "HTTP/1.1\r\n"u8.ToArray();

    readonly TcpListener listener;
    readonly int target;
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;
    readonly ConcurrentDictionary<string, long> kinds = new(StringComparer.Ordinal);
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

    /// <summary>The requests so far by kind, e.g. <c>GET Rounds()</c>, <c>POST $batch</c>, <c>DELETE hub-control-00/messages</c>.</summary>
    public IReadOnlyDictionary<string, long> Kinds() => new Dictionary<string, long>(kinds, StringComparer.Ordinal);

    /// <summary>A request line as a kind: the method and the resource without the account, keys or query.</summary>
    static string KindOf(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length < 2)
        {
            return "?";
        }

        var path = parts[1];
        var end = path.IndexOfAny(['?', '(']);
        var resource = end < 0 ? path : path[..end];
        var segments = resource.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        var name = string.Join('/', segments.Select(s => s.Length == 32 || s.Length > 40 ? "{id}" : s));
        var query = path.Contains("$filter", StringComparison.Ordinal) ? " query" : path.Contains('(') ? " entity" : "";
        return $"{parts[0]} {name}{query}";
    }

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
                // A request line names its resource from the root ("GET /account/..."); the operations inside a
                // table batch's body name theirs in full ("POST http://..."): they ride on the batch's one request.
                var line = Encoding.ASCII.GetString(seen[(seen[..at].LastIndexOf((byte)'\n') + 1)..at]);
                var method = line.IndexOf(" /", StringComparison.Ordinal);
                if (method > 0)
                {
                    Interlocked.Increment(ref requests);
                    var start = line.LastIndexOfAny([' ', '>', '}', '"'], method - 1) + 1;
                    kinds.AddOrUpdate(KindOf(line[start..]), 1, (_, n) => n + 1);
                }

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
