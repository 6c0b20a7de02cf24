using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MultilateralFlows.Testing;

/// <summary>
/// A fake Application Insights ingestion endpoint on a free loopback port: it takes what the Azure Monitor exporter
/// sends (<c>POST /v2.1/track</c>, newline-delimited JSON, gzip or not), keeps every telemetry item, and answers as the
/// service does. Point an app at it with <see cref="ConnectionString"/>.
/// </summary>
public sealed class FakeAzureMonitor : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<JsonObject> items = new();

    FakeAzureMonitor(WebApplication app, int port)
    {
        this.app = app;
        ConnectionString = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:{port}/;LiveEndpoint=http://127.0.0.1:{port}/";
    }

    public string ConnectionString { get; }

    /// <summary>Every telemetry item received (an envelope: <c>name</c>, <c>time</c>, <c>data.baseType</c>, <c>data.baseData</c>).</summary>
    public IReadOnlyList<JsonObject> Items => items.ToArray();

    public static async Task<FakeAzureMonitor> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FakeAzureMonitor(app, port);
        app.MapPost("/v2.1/track", server.TrackAsync);
        app.MapPost("/v2/track", server.TrackAsync);

        // Live metrics and anything else: accepted and ignored.
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        return server;
    }

    /// <summary>Waits until an item that matches has arrived.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Items.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No matching telemetry within {timeout.TotalSeconds} s; {items.Count} item(s) received: " +
                    string.Join(", ", Items.Select(i => i["name"]?.GetValue<string>()).Distinct()) + "; messages:\n" +
                    string.Join("\n", Items.Select(i => i["data"]?["baseData"]?["message"]?.GetValue<string>()).OfType<string>().Take(30)));
            }

            await Task.Delay(200);
        }
    }

    async Task TrackAsync(HttpContext context)
    {
        Stream body = context.Request.Body;
        if (string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(body);
        var received = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject item)
            {
                items.Enqueue(item);
                received++;
            }
        }

        await context.Response.WriteAsJsonAsync(new { itemsReceived = received, itemsAccepted = received, errors = Array.Empty<object>() });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
