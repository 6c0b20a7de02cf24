using System.Diagnostics;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Figure 4, explained: how many storage requests one reply costs in all (the endpoint's own reads and writes, the
/// signal to the round, and the round's work on it: history, receipts), counted by relays in front of Azurite for a
/// second local host, against exactly one for a raw upsert.
/// </summary>
public static class ReplyCost
{
    public sealed record Result(int Replies, double TablePerReply, double QueuePerReply, double BlobPerReply, IReadOnlyList<(string Kind, double PerReply)> Kinds)
    {
        public double TotalPerReply => TablePerReply + QueuePerReply + BlobPerReply;
    }

    public static async Task<Result> MeasureAsync(AzuriteServer storage, HttpClient http, int clients, TimeSpan duration, TimeSpan settleLimit)
    {
        await using var tables = new CountingProxy(storage.TablePort);
        await using var queues = new CountingProxy(storage.QueuePort);
        await using var blobs = new CountingProxy(storage.BlobPort);
        var relayed = storage.ConnectionString
            .Replace($":{storage.TablePort}/", $":{tables.Port}/", StringComparison.Ordinal)
            .Replace($":{storage.QueuePort}/", $":{queues.Port}/", StringComparison.Ordinal)
            .Replace($":{storage.BlobPort}/", $":{blobs.Port}/", StringComparison.Ordinal);
        await using var host = await LocalHostProcess.StartAsync(storage, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = relayed,
            ["AzureFunctionsJobHost__logging__logLevel__default"] = "Warning",
        });
        using var cleanUp = new OutboxCleanUp(host);
        var rounds = new RoundDriver(host, http, storage);
        var participants = BenchDirectory.Codes(clients + 1);
        await using var outbox = new OutboxPoller(host.OutboxPath, TimeSpan.FromMilliseconds(100));
        var roundId = await rounds.StartAsync(participants);
        var links = (await rounds.ReplyLinksAsync(outbox, roundId, participants.Count))
            .Where(link => link.Key != participants[^1]).Select(link => link.Value).ToList();

        // Everyone has replied once (amendments from here on, as under load); then the idle rate: the engine polls its queues.
        await rounds.ReplyAllAsync(links, clients);
        (long Tables, long Queues, long Blobs) Counts() => (tables.Requests, queues.Requests, blobs.Requests);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idle = await RatesAsync(Counts, TimeSpan.FromSeconds(3));

        var before = Counts();
        var kindsBefore = AllKinds(tables, queues, blobs);
        var clock = Stopwatch.StartNew();
        var load = await ReplyLoad.RunAsync(clients, TimeSpan.Zero, duration, (client, n) => rounds.ReplyAsync(links[client % links.Count], n));

        // The round works on after the last reply is answered: count until it is about as quiet as before.
        var settleUntil = DateTime.UtcNow + settleLimit;
        while (DateTime.UtcNow < settleUntil && (await RatesAsync(Counts, TimeSpan.FromSeconds(1))).Total > Math.Max(idle.Total * 1.5, idle.Total + 3))
        {
        }

        var after = Counts();
        var kindsAfter = AllKinds(tables, queues, blobs);
        var seconds = clock.Elapsed.TotalSeconds;
        double PerReply(long used, double idleRate) => (used - (idleRate * seconds)) / load.Requests;
        // By kind, idle polling included: what the busiest kinds are, not an exact share.
        var kinds = kindsAfter
            .Select(k => (Kind: k.Key, PerReply: (k.Value - kindsBefore.GetValueOrDefault(k.Key)) / (double)load.Requests))
            .Where(k => k.PerReply >= 0.05)
            .OrderByDescending(k => k.PerReply)
            .ToList();
        return new Result(
            load.Requests,
            PerReply(after.Tables - before.Tables, idle.Tables),
            PerReply(after.Queues - before.Queues, idle.Queues),
            PerReply(after.Blobs - before.Blobs, idle.Blobs),
            kinds);
    }

    static Dictionary<string, long> AllKinds(params CountingProxy[] proxies) =>
        proxies.SelectMany(p => p.Kinds()).GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.Sum(k => k.Value), StringComparer.Ordinal);

    sealed record Rates(double Tables, double Queues, double Blobs)
    {
        public double Total => Tables + Queues + Blobs;
    }

    static async Task<Rates> RatesAsync(Func<(long Tables, long Queues, long Blobs)> counts, TimeSpan window)
    {
        var start = counts();
        await Task.Delay(window);
        var end = counts();
        return new Rates(
            (end.Tables - start.Tables) / window.TotalSeconds,
            (end.Queues - start.Queues) / window.TotalSeconds,
            (end.Blobs - start.Blobs) / window.TotalSeconds);
    }

    sealed class OutboxCleanUp(LocalHostProcess host) : IDisposable
    {
        public void Dispose() => Backend.DeleteOutbox(host);
    }
}
