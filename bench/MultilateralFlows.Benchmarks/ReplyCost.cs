using System.Diagnostics;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Figure 4, explained: how many storage requests one reply costs in all (the endpoint's own reads and writes, the
/// signal to the round, and the round's work on it: history, receipts), counted by relays in front of Azurite for a
/// second host of the same kind, against exactly one for a raw upsert. On the Functions host the same relays also count
/// the reply's peer, an event raised through the Durable Functions HTTP API, the API call and the engine's work on it.
/// </summary>
public static class ReplyCost
{
    /// <param name="Seconds">How long the count ran: the calls, then the engine's work on them until it was quiet again.</param>
    /// <param name="Processor">Processor time per call of the host, its worker (Functions host; NaN for the local host) and Azurite, less their idle use, in milliseconds.</param>
    public sealed record Result(
        int Calls, double Seconds, double TablePerCall, double QueuePerCall, double BlobPerCall, IReadOnlyList<(string Kind, double PerCall)> Kinds,
        (double Host, double Worker, double Azurite) Processor)
    {
        public double TotalPerCall => TablePerCall + QueuePerCall + BlobPerCall;
    }

    /// <summary>What a reply costs, and on the Functions host what a raised event costs (else null).</summary>
    public sealed record Costs(Result Reply, Result? RaiseEvent);

    public static async Task<Costs> MeasureAsync(HostKind kind, AzuriteServer storage, HttpClient http, int clients, TimeSpan duration, TimeSpan settleLimit)
    {
        await using var relays = new Relays(storage);
        await using var host = await HostProcess.StartAsync(kind, storage, Backend.HostSettings(relays.ConnectionString));
        await using var watch = new HostWatch(host);
        using var cleanUp = new OutboxCleanUp(host);
        var rounds = new RoundDriver(host, http, storage);
        var participants = BenchDirectory.Codes(clients + 1);
        await using var outbox = new OutboxPoller(host.OutboxPath, TimeSpan.FromMilliseconds(100));
        var roundId = await rounds.StartAsync(participants);
        // The peer's events go to a round of their own: the reply's round replays its own history only, as under load.
        var peer = kind == HostKind.Functions ? new RaiseEventPeer(host, http) : null;
        var peerRoundId = peer is null ? null : await rounds.StartAsync(participants);
        var links = (await rounds.ReplyLinksAsync(outbox, roundId, participants.Count))
            .Where(link => link.Key != participants[^1]).Select(link => link.Value).ToList();
        if (peerRoundId is not null)
        {
            await outbox.WaitForAsync(peerRoundId, participants.Count);
        }

        // Everyone has replied once (amendments from here on, as under load).
        await rounds.ReplyAllAsync(links, clients);
        await Task.Delay(TimeSpan.FromSeconds(3));
        ProcessorUse Processor() => ProcessorUse.Sample(host, storage);
        var hasWorker = kind == HostKind.Functions;
        var reply = await CountAsync(relays, Processor, hasWorker, clients, duration, settleLimit, (client, n) => rounds.ReplyAsync(links[client % links.Count], n));
        var raiseEvent = peer is null ? null
            : await CountAsync(relays, Processor, hasWorker, clients, duration, settleLimit, (client, n) => peer.RaiseAsync(peerRoundId!, participants[client % (participants.Count - 1)], n));
        return new Costs(reply, raiseEvent);
    }

    /// <summary>The storage requests of a closed loop of calls, all included, less what the host does when idle.</summary>
    static async Task<Result> CountAsync(Relays relays, Func<ProcessorUse> processor, bool hasWorker, int clients, TimeSpan duration, TimeSpan settleLimit, Func<int, int, Task> call)
    {
        // The idle rate first: the engine polls its queues and renews its leases whatever comes in.
        var idleWindow = TimeSpan.FromSeconds(3);
        var idleFrom = processor();
        var idle = await RatesAsync(relays, idleWindow);
        var idleProcessor = processor() - idleFrom;
        var processorBefore = processor();
        var before = relays.Counts();
        var kindsBefore = relays.Kinds();
        var clock = Stopwatch.StartNew();
        var load = await ReplyLoad.RunAsync(clients, TimeSpan.Zero, duration, call);

        // The engine works on after the last call is answered: count until it is about as quiet as before.
        var settleUntil = DateTime.UtcNow + settleLimit;
        while (DateTime.UtcNow < settleUntil && (await RatesAsync(relays, TimeSpan.FromSeconds(1))).Total > Math.Max(idle.Total * 1.5, idle.Total + 3))
        {
        }

        var after = relays.Counts();
        var processorUsed = processor() - processorBefore;
        var kindsAfter = relays.Kinds();
        var seconds = clock.Elapsed.TotalSeconds;
        double MsPerCall(TimeSpan used, TimeSpan idleUse) =>
            Math.Max(0, used.TotalMilliseconds - (idleUse.TotalMilliseconds / idleWindow.TotalSeconds * seconds)) / load.Requests;
        // Less than nothing is the idle rate's noise on a service the calls do not use.
        double PerCall(long used, double idleRate) => Math.Max(0, used - (idleRate * seconds)) / load.Requests;
        // By kind, idle polling included: what the busiest kinds are, not an exact share.
        var kinds = kindsAfter
            .Select(k => (Kind: k.Key, PerCall: (k.Value - kindsBefore.GetValueOrDefault(k.Key)) / (double)load.Requests))
            .Where(k => k.PerCall >= 0.05)
            .OrderByDescending(k => k.PerCall)
            .ToList();
        return new Result(
            load.Requests,
            seconds,
            PerCall(after.Tables - before.Tables, idle.Tables),
            PerCall(after.Queues - before.Queues, idle.Queues),
            PerCall(after.Blobs - before.Blobs, idle.Blobs),
            kinds,
            (MsPerCall(processorUsed.Host, idleProcessor.Host), hasWorker ? MsPerCall(processorUsed.Worker, idleProcessor.Worker) : double.NaN, MsPerCall(processorUsed.Azurite, idleProcessor.Azurite)));
    }

    sealed record Rates(double Tables, double Queues, double Blobs)
    {
        public double Total => Tables + Queues + Blobs;
    }

    static async Task<Rates> RatesAsync(Relays relays, TimeSpan window)
    {
        var start = relays.Counts();
        await Task.Delay(window);
        var end = relays.Counts();
        return new Rates(
            (end.Tables - start.Tables) / window.TotalSeconds,
            (end.Queues - start.Queues) / window.TotalSeconds,
            (end.Blobs - start.Blobs) / window.TotalSeconds);
    }

    /// <summary>A counting relay in front of each of Azurite's three services, and the connection string through them.</summary>
    sealed class Relays : IAsyncDisposable
    {
        readonly CountingProxy tables;
        readonly CountingProxy queues;
        readonly CountingProxy blobs;

        public Relays(AzuriteServer storage)
        {
            tables = new CountingProxy(storage.TablePort);
            queues = new CountingProxy(storage.QueuePort);
            blobs = new CountingProxy(storage.BlobPort);
            ConnectionString = storage.ConnectionString
                .Replace($":{storage.TablePort}/", $":{tables.Port}/", StringComparison.Ordinal)
                .Replace($":{storage.QueuePort}/", $":{queues.Port}/", StringComparison.Ordinal)
                .Replace($":{storage.BlobPort}/", $":{blobs.Port}/", StringComparison.Ordinal);
        }

        public string ConnectionString { get; }

        public (long Tables, long Queues, long Blobs) Counts() => (tables.Requests, queues.Requests, blobs.Requests);

        public Dictionary<string, long> Kinds() =>
            new[] { tables, queues, blobs }.SelectMany(p => p.Kinds()).GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.Sum(k => k.Value), StringComparer.Ordinal);

        public async ValueTask DisposeAsync()
        {
            await tables.DisposeAsync();
            await queues.DisposeAsync();
            await blobs.DisposeAsync();
        }
    }

    sealed class OutboxCleanUp(HostProcess host) : IDisposable
    {
        public void Dispose() => Backend.DeleteOutbox(host);
    }
}
