using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Figure 4: closed-loop load, a number of clients each sending its next request as soon as the last one is answered,
/// for a fixed time after a short warm-up. The same loop drives the reply endpoint and raw table upserts.
/// </summary>
public static class ReplyLoad
{
    public sealed record Result(int Clients, int Requests, int Errors, double Seconds, double PerSecond, double P50Ms, double P99Ms)
    {
        /// <summary>The rate, the median and the 99th percentile for the table; the errors too, if asked and any.</summary>
        public string Text(string perSecond = "/s", bool errors = false) =>
            $"{Report.Num(PerSecond)}{perSecond}, p50 {Report.Ms(P50Ms)}, p99 {Report.Ms(P99Ms)}" +
            (errors && Errors > 0 ? $", {Errors} errors" : "");
    }

    public static async Task<Result> RunAsync(int clients, TimeSpan warmUp, TimeSpan duration, Func<int, int, Task> request)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var measuring = false;
        var started = Stopwatch.StartNew();
        var measureFrom = TimeSpan.Zero;
        var end = warmUp + duration;

        async Task ClientAsync(int client)
        {
            for (var n = 0; started.Elapsed < end; n++)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    await request(client, n);
                    if (Volatile.Read(ref measuring))
                    {
                        latencies.Add(clock.Elapsed.TotalMilliseconds);
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException or Azure.RequestFailedException
                    or TaskCanceledException)
                {
                    if (Volatile.Read(ref measuring))
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        }

        var running = Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c))).ToList();
        await Task.Delay(warmUp);
        measureFrom = started.Elapsed;
        Volatile.Write(ref measuring, true);
        await Task.WhenAll(running);

        // Requests still in flight at the end finish after it: count the time until the last one is answered.
        var seconds = (started.Elapsed - measureFrom).TotalSeconds;
        var sample = latencies.ToList();
        return new Result(clients, sample.Count, errors, seconds, sample.Count / seconds, Stats.Percentile(sample, 50), Stats.Percentile(sample, 99));
    }

    /// <summary>The storage floor: upserting one reply-sized row per request, each client its own row.</summary>
    public static Func<int, int, Task> RawUpsert(TableClient table)
    {
        var remarks = RoundDriver.ReplyBody(1);
        return async (client, n) =>
        {
            await table.UpsertEntityAsync(
                new TableEntity("raw-upserts", $"client-{client:D3}")
                {
                    ["Participant"] = $"bench-area-{client:D4}",
                    ["Version"] = n,
                    ["Reply"] = remarks,
                    ["SubmittedAt"] = DateTimeOffset.UtcNow,
                },
                TableUpdateMode.Replace);
        };
    }
}
