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
    /// <param name="Processor">
    /// Processor time per call of the host, its worker (Functions host; NaN for the local host) and Azurite, less their idle
    /// use, in milliseconds.
    /// </param>
    /// <param name="IdleStoragePerSecond">The storage requests per second of the host left alone, taken off the count.</param>
    /// <param name="IdleProcessor">The processor milliseconds per second of the host, its worker and Azurite left alone, taken off the count.</param>
    public sealed record Result(
        int Calls,
        double Seconds,
        double TablePerCall,
        double QueuePerCall,
        double BlobPerCall,
        IReadOnlyList<(string Kind, double PerCall)> Kinds,
        (double Host, double Worker, double Azurite) Processor,
        double IdleStoragePerSecond,
        (double Host, double Worker, double Azurite) IdleProcessor)
    {
        public double TotalPerCall => TablePerCall + QueuePerCall + BlobPerCall;
    }

    /// <summary>What a reply costs, and on the Functions host what a raised event costs (else null).</summary>
    public sealed record Costs(Result Reply, Result? RaiseEvent);

    public static async Task<Costs> MeasureAsync(
        HostKind kind, AzuriteServer storage, HttpClient http, int clients, TimeSpan duration, TimeSpan settleLimit)
    {
        await using var relays = new Relays(storage);
        await using var host = await HostProcess.StartAsync(kind, storage, Backend.HostSettings(relays.ConnectionString));
        await using var watch = new HostWatch(host);
        using var cleanUp = new MailFolderCleanUp(host);
        var rounds = new RoundDriver(host, http, storage);
        var participants = BenchDirectory.Codes(clients + 1);
        await using var mailFolder = new MailFolderPoller(host.MailFolderPath, TimeSpan.FromMilliseconds(100));
        var roundId = await rounds.StartAsync(participants);
        // The peer's events go to a round of their own: the reply's round replays its own history only, as under load.
        var peer = kind == HostKind.Functions ? new RaiseEventPeer(host, http) : null;
        var peerRoundId = peer is null ? null : await rounds.StartAsync(participants);
        var links = (await rounds.ReplyLinksAsync(mailFolder, roundId, participants.Count))
            .Where(link => link.Key != participants[^1]).Select(link => link.Value).ToList();
        if (peerRoundId is not null)
        {
            await mailFolder.WaitForAsync(peerRoundId, participants.Count);
        }

        Task Reply(int client, int n) => rounds.ReplyAsync(links[client % links.Count], n);
        Task Raise(int client, int n) => peer!.RaiseAsync(peerRoundId!, participants[client % (participants.Count - 1)], n);

        // Warm, uncounted: everyone has replied (amendments from here on, as under load), and the code on both paths
        // has run often enough for .NET to recompile it at its final tier, which it does in the background for
        // seconds of processor time that belong to no call.
        await ReplyLoad.RunAsync(clients, TimeSpan.Zero, WarmUp, Reply);
        if (peer is not null)
        {
            await ReplyLoad.RunAsync(clients, TimeSpan.Zero, WarmUp, Raise);
        }

        ProcessorUse Processor() => ProcessorUse.Sample(host, storage);
        var hasWorker = kind == HostKind.Functions;
        var reply = await CountAsync(relays, Processor, hasWorker, clients, duration, settleLimit, Reply);
        var raiseEvent = peer is null ? null : await CountAsync(relays, Processor, hasWorker, clients, duration, settleLimit, Raise);
        return new Costs(reply, raiseEvent);
    }

    static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits until the host is quiet: for two seconds running, fewer than 8 storage requests a second (an idle host
    /// makes 2-4) and less than a tenth of a core for its processes; at most <paramref name="limit"/>. A busy round
    /// works through its backlog long after its last reply was answered on a loaded machine.
    /// </summary>
    static async Task QuietAsync(Relays relays, Func<ProcessorUse> processor, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        for (var quiet = 0; quiet < 2;)
        {
            if (clock.Elapsed > limit)
            {
                Console.WriteLine(
                    $"    (the host was still busy after {limit.TotalSeconds:N0} s: the next count carries the tail of the earlier work)");
                return;
            }

            var from = processor();
            var storage = await RatesAsync(relays, TimeSpan.FromSeconds(1));
            var used = processor() - from;
            quiet = storage.Total < 8 && used.Host + used.Worker < TimeSpan.FromMilliseconds(100) ? quiet + 1 : 0;
        }
    }

    /// <summary>
    /// The storage requests and processor time of a closed loop of calls, all included, less what the host does when
    /// idle (the engine polls its queues and renews its leases whatever comes in). It starts once the host has gone
    /// quiet; the idle rate is taken before the calls and again after the count, and the lower of the two is used: a
    /// host still finishing earlier work is not idle.
    /// </summary>
    static async Task<Result> CountAsync(
        Relays relays,
        Func<ProcessorUse> processor,
        bool hasWorker,
        int clients,
        TimeSpan duration,
        TimeSpan settleLimit,
        Func<int, int, Task> call)
    {
        await QuietAsync(relays, processor, settleLimit);
        var idleBefore = await IdleAsync(relays, processor);
        var processorBefore = processor();
        var before = relays.Counts();
        var kindsBefore = relays.Kinds();
        var clock = Stopwatch.StartNew();
        var load = await ReplyLoad.RunAsync(clients, TimeSpan.Zero, duration, call);

        // The engine works on after the last call is answered: count until it is about as quiet as before.
        var settleUntil = DateTime.UtcNow + settleLimit;
        var busyAbove = Math.Max(idleBefore.Storage.Total * 1.5, idleBefore.Storage.Total + 3);
        while (DateTime.UtcNow < settleUntil && (await RatesAsync(relays, TimeSpan.FromSeconds(1))).Total > busyAbove)
        {
        }

        var after = relays.Counts();
        var processorUsed = processor() - processorBefore;
        var kindsAfter = relays.Kinds();
        var seconds = clock.Elapsed.TotalSeconds;
        var idle = Idle.Min(idleBefore, await IdleAsync(relays, processor));

        // Less than nothing is the idle rate's noise on a service the calls do not use.
        double PerCall(long used, double idleRate) => Math.Max(0, used - (idleRate * seconds)) / load.Requests;
        double MsPerCall(TimeSpan used, double idleMsPerSecond) => Math.Max(0, used.TotalMilliseconds - (idleMsPerSecond * seconds)) / load.Requests;

        // By kind, idle polling included: what the busiest kinds are, not an exact share.
        var kinds = kindsAfter
            .Select(k => (Kind: k.Key, PerCall: (k.Value - kindsBefore.GetValueOrDefault(k.Key)) / (double)load.Requests))
            .Where(k => k.PerCall >= 0.05)
            .OrderByDescending(k => k.PerCall)
            .ToList();
        return new Result(
            load.Requests,
            seconds,
            PerCall(after.Tables - before.Tables, idle.Storage.Tables),
            PerCall(after.Queues - before.Queues, idle.Storage.Queues),
            PerCall(after.Blobs - before.Blobs, idle.Storage.Blobs),
            kinds,
            (MsPerCall(processorUsed.Host, idle.HostMs),
                hasWorker ? MsPerCall(processorUsed.Worker, idle.WorkerMs) : double.NaN,
                MsPerCall(processorUsed.Azurite, idle.AzuriteMs)),
            idle.Storage.Total,
            (idle.HostMs, hasWorker ? idle.WorkerMs : double.NaN, idle.AzuriteMs));
    }

    sealed record Rates(double Tables, double Queues, double Blobs)
    {
        public double Total => Tables + Queues + Blobs;
    }

    /// <summary>Storage requests and processor milliseconds per second of a host left alone.</summary>
    sealed record Idle(Rates Storage, double HostMs, double WorkerMs, double AzuriteMs)
    {
        public static Idle Min(Idle a, Idle b) => new(
            new Rates(
                Math.Min(a.Storage.Tables, b.Storage.Tables),
                Math.Min(a.Storage.Queues, b.Storage.Queues),
                Math.Min(a.Storage.Blobs, b.Storage.Blobs)),
            Math.Min(a.HostMs, b.HostMs),
            Math.Min(a.WorkerMs, b.WorkerMs),
            Math.Min(a.AzuriteMs, b.AzuriteMs));
    }

    static async Task<Idle> IdleAsync(Relays relays, Func<ProcessorUse> processor)
    {
        var window = TimeSpan.FromSeconds(3);
        var from = processor();
        var storage = await RatesAsync(relays, window);
        var used = processor() - from;
        return new Idle(
            storage,
            used.Host.TotalMilliseconds / window.TotalSeconds,
            used.Worker.TotalMilliseconds / window.TotalSeconds,
            used.Azurite.TotalMilliseconds / window.TotalSeconds);
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
            new[] { tables, queues, blobs }
                .SelectMany(p => p.Kinds())
                .GroupBy(k => k.Key)
                .ToDictionary(g => g.Key, g => g.Sum(k => k.Value), StringComparer.Ordinal);

        public async ValueTask DisposeAsync()
        {
            await tables.DisposeAsync();
            await queues.DisposeAsync();
            await blobs.DisposeAsync();
        }
    }

    sealed class MailFolderCleanUp(HostProcess host) : IDisposable
    {
        public void Dispose() => Backend.DeleteMailFolder(host);
    }
}
