using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultilateralFlows.Testing;

/// <summary>An HTTP answer as it came over the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? ContentType => Headers.GetValueOrDefault("content-type");
}

/// <summary>
/// Sends bytes to a local port exactly as given, for requests an HTTP client would refuse to make or would normalise
/// first: dot segments in the path, invalid bytes in the request line, malformed headers, a body shorter than its
/// Content-Length.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(IPAddress address, int port, byte[] request, bool halfClose = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address, port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        if (halfClose)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Parse(received.ToArray()) is { } complete)
                {
                    return complete;
                }
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // The server answered and then reset the connection (it does for requests it will not read to the end).
        }

        return Parse(received.ToArray(), final: true)
            ?? throw new InvalidOperationException($"No HTTP answer: '{Encoding.Latin1.GetString(received.ToArray())}'");
    }

    public static Task<RawResponse> SendAsync(int port, string request, bool halfClose = false) =>
        SendAsync(IPAddress.Loopback, port, Encoding.Latin1.GetBytes(request), halfClose);

    /// <summary>The response once its head and its whole body (by Content-Length, chunks, or the end of the stream) are in.</summary>
    static RawResponse? Parse(byte[] data, bool final = false)
    {
        var text = Encoding.Latin1.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p[1].Trim())));
        var rest = data.AsSpan(Encoding.Latin1.GetByteCount(text[..(end + 4)]));

        if (headers.TryGetValue("content-length", out var length))
        {
            var expected = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
            return rest.Length >= expected ? new RawResponse(status, headers, Encoding.UTF8.GetString(rest[..expected])) : null;
        }

        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = Dechunk(rest.ToArray());
            return body is not null ? new RawResponse(status, headers, body) : final ? new RawResponse(status, headers, "") : null;
        }

        return final || status is 204 or 304 ? new RawResponse(status, headers, Encoding.UTF8.GetString(rest)) : null;
    }

    static string? Dechunk(byte[] data)
    {
        var body = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = Array.IndexOf(data, (byte)'\n', position);
            if (lineEnd < 0)
            {
                return null;
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(data, position, lineEnd - position).Trim().Split(';')[0], 16);
            position = lineEnd + 1;
            if (size == 0)
            {
                return Encoding.UTF8.GetString(body.ToArray());
            }

            if (data.Length < position + size + 2)
            {
                return null;
            }

            body.Write(data, position, size);
            position += size + 2;
        }
    }
}
