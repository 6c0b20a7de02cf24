using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Figure 4's floor on the Functions host: the Durable Functions HTTP API raising an event on a waiting orchestration,
/// <c>POST /runtime/webhooks/durabletask/instances/{instanceId}/raiseEvent/{eventName}</c>. The host serves it itself
/// (the Durable extension's webhook, authorized with the master key): it reads the instance's status, refuses an
/// instance that has ended, and puts the event on the instance's control queue; the engine then takes the event into
/// the instance's history. That is the least any reply delivered over HTTP to a durable round costs on this host. The
/// event carries what a reply's own event carries (a round signal's fields) under a name the round never waits for,
/// so the round's code ignores it and its state stays as it was.
/// </summary>
public sealed class RaiseEventPeer
{
    /// <summary>Not <c>RoundSignal</c>: the round waits for that name only, and leaves any other event unread.</summary>
    public const string EventName = "BenchmarkProbe";

    readonly HostProcess host;
    readonly HttpClient http;

    public RaiseEventPeer(HostProcess host, HttpClient http)
    {
        if (host.Kind != HostKind.Functions)
        {
            throw new ArgumentException("The Durable Functions HTTP API is served by the Functions host only.", nameof(host));
        }

        this.host = host;
        this.http = http;
    }

    /// <summary>A payload of the shape and size of the event a reply raises (kind, id, participant, version).</summary>
    public static string Payload(string participant, int seed) =>
        new JsonObject
        {
            ["Kind"] = 0,
            ["Id"] = $"reply:{participant}:{seed + 2}",
            ["Participant"] = participant,
            ["Version"] = seed + 2,
            ["Deadline"] = null,
            ["Decision"] = null,
            ["Comments"] = null,
        }.ToJsonString();

    /// <summary>Raises one event; the time it took, or throws when the API did not accept it (202).</summary>
    public async Task<double> RaiseAsync(string instanceId, string participant, int seed)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(
            HttpMethod.Post, $"{host.BaseUrl}/runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(instanceId)}/raiseEvent/{EventName}")
        {
            Content = new StringContent(Payload(participant, seed), Encoding.UTF8, "application/json"),
        };
        // The master key: run.sh makes it the same value as the function key.
        request.Headers.Add("x-functions-key", FunctionsHostProcess.FunctionKey);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"Raising an event was refused: {(int)response.StatusCode} {body}");
        }

        await response.Content.LoadIntoBufferAsync();
        return clock.Elapsed.TotalMilliseconds;
    }
}
