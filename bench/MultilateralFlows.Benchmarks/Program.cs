using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Benchmarks;
using MultilateralFlows.Testing;

// How close a round runs to what the Durable Task engine and storage allow: every figure next to its floor, measured
// in the same run on the same machine. `--quick` (under four minutes), `--only=latency,throughput,reply,scale,consolidation`,
// `--out=path.json`.
var plan = BenchPlan.Parse(args);
var report = new Report();
var loadAtStart = Machine.LoadAverage();
var wall = Stopwatch.StartNew();
Console.WriteLine($"MultilateralFlows benchmark ({plan.Mode}): {Environment.ProcessorCount} cores, load average {loadAtStart:N2}, figures {string.Join(", ", plan.Figures)}");

if (plan.Runs("consolidation"))
{
    Phase("6. consolidation");
    var c = ConsolidationBenchmark.Run(plan.ConsolidationParticipants, 20, 4096, plan.ConsolidationRepetitions);
    report.Add("consolidationParticipants", c.Participants);
    report.Add("consolidationAssembleMs", c.AssembleMs);
    report.Add("consolidationMarkdownMs", c.MarkdownMs);
    report.Add("consolidationHtmlMs", c.HtmlMs);
    report.Add("consolidationJsonMs", c.JsonMs);
    report.Add("consolidationTotalMs", c.TotalMs);
    report.Add("consolidationTotalCpuMs", c.TotalCpuMs);
    report.Add("consolidationOutputMegabytes", c.OutputChars / 1_000_000.0);
    Console.WriteLine($"  assemble {c.AssembleMs:N0} ms, markdown {c.MarkdownMs:N0} ms, html {c.HtmlMs:N0} ms, json {c.JsonMs:N0} ms: total {c.TotalMs:N0} ms ({c.TotalCpuMs:N0} ms processor time) for {c.OutputChars / 1e6:N0} M characters, checksum {c.Checksum}");
    GC.Collect();
}

var needsStorage = plan.Figures.Any(f => f != "consolidation");
if (needsStorage)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(30) }) { Timeout = TimeSpan.FromMinutes(2) };
    using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

    // Figures 1-3: the rounds and their floor on one Azurite, one after the other.
    await using var main = await Backend.StartAsync(http, BenchPlan.RoundParticipants);
    var (storage, host, rounds) = (main.Storage, main.Host, main.Rounds);
    await using var floor = await EngineFloor.StartAsync(storage, loggerFactory);
    Console.WriteLine($"  Azurite on {storage.TablePort}, local host on {host.Port} (hub {host.TaskHub}), floor hub {floor.TaskHub}; ready after {wall.Elapsed.TotalSeconds:N0} s");

    var twelve = BenchDirectory.Codes(BenchPlan.RoundParticipants);
    var latencyPoll = TimeSpan.FromMilliseconds(100);

    if (plan.Runs("latency"))
    {
        Phase("1-2. engine floor and round latency (12 participants, one at a time, interleaved)");
        await using var outbox = new OutboxPoller(host.OutboxPath, latencyPoll);
        var floorTimes = new List<RoundTiming>();
        var roundTimes = new List<RoundTiming>();
        for (var i = -plan.LatencyWarmUps; i < plan.LatencyRounds; i++)
        {
            var f = await floor.RunAsync(BenchPlan.RoundParticipants, latencyPoll);
            var r = await rounds.RunAsync(outbox, twelve, latencyPoll, BenchPlan.RoundParticipants);
            Console.WriteLine($"  {(i < 0 ? "warm-up" : $"#{i + 1}"),-8} floor {f.TotalMs,6:N0} ms (rows {f.RequestsSent.TotalMilliseconds,5:N0}, events {(f.RepliesPosted - f.RequestsSent).TotalMilliseconds,5:N0}, to blob {f.LastReplyToPositionMs,5:N0})   round {r.TotalMs,6:N0} ms (e-mails {r.RequestsSent.TotalMilliseconds,5:N0}, replies {(r.RepliesPosted - r.RequestsSent).TotalMilliseconds,5:N0}, to position {r.LastReplyToPositionMs,5:N0})");
            if (i >= 0)
            {
                floorTimes.Add(f);
                roundTimes.Add(r);
            }
        }

        if (args.Contains("--timeline"))
        {
            Console.WriteLine($"  timeline of the last bare orchestration {floorTimes[^1].Id}:");
            foreach (var line in await HistorySize.TimelineAsync(storage.Tables, floor.TaskHub, floorTimes[^1].Id))
            {
                Console.WriteLine($"    {line}");
            }

            Console.WriteLine($"  timeline of the last round {roundTimes[^1].Id}:");
            foreach (var line in await HistorySize.TimelineAsync(storage.Tables, host.TaskHub, roundTimes[^1].Id))
            {
                Console.WriteLine($"    {line}");
            }
        }

        var floorMedian = Stats.Median(floorTimes.Select(t => t.TotalMs).ToList());
        var floorP95 = Stats.Percentile(floorTimes.Select(t => t.TotalMs).ToList(), 95);
        var roundMedian = Stats.Median(roundTimes.Select(t => t.TotalMs).ToList());
        var roundP95 = Stats.Percentile(roundTimes.Select(t => t.TotalMs).ToList(), 95);
        var ratio = Stats.Ratio(roundMedian, floorMedian);
        report.Add("latencyRounds", roundTimes.Count);
        report.Add("engineFloorMedianMs", floorMedian);
        report.Add("engineFloorP95Ms", floorP95);
        report.Add("engineFloorRowsWrittenMedianMs", Stats.Median(floorTimes.Select(t => t.RequestsSent.TotalMilliseconds).ToList()));
        report.Add("roundLatencyMedianMs", roundMedian);
        report.Add("roundLatencyP95Ms", roundP95);
        report.Add("roundRequestsSentMedianMs", Stats.Median(roundTimes.Select(t => t.RequestsSent.TotalMilliseconds).ToList()));
        report.Add("roundLastReplyToPositionMedianMs", Stats.Median(roundTimes.Select(t => t.LastReplyToPositionMs).ToList()));
        report.Add("roundRepliesPostedMedianMs", Stats.Median(roundTimes.Select(t => (t.RepliesPosted - t.RequestsSent).TotalMilliseconds).ToList()));
        report.Add("engineFloorEventsRaisedMedianMs", Stats.Median(floorTimes.Select(t => (t.RepliesPosted - t.RequestsSent).TotalMilliseconds).ToList()));
        report.Add("engineFloorLastEventToBlobMedianMs", Stats.Median(floorTimes.Select(t => t.LastReplyToPositionMs).ToList()));
        Console.WriteLine($"  medians, floor: rows {report.Get("engineFloorRowsWrittenMedianMs"):N0} ms, events {report.Get("engineFloorEventsRaisedMedianMs"):N0} ms, last event to blob {report.Get("engineFloorLastEventToBlobMedianMs"):N0} ms; " +
            $"round: e-mails {report.Get("roundRequestsSentMedianMs"):N0} ms, replies {report.Get("roundRepliesPostedMedianMs"):N0} ms, last reply to position {report.Get("roundLastReplyToPositionMedianMs"):N0} ms");
        report.Add("roundLatencyRatio", ratio);
        report.Add("roundLatencyP95Ratio", Stats.Ratio(roundP95, floorP95));
        report.Row("1. engine floor: bare 12-way orchestration, end to end", "", $"median {Report.Ms(floorMedian)}, p95 {Report.Ms(floorP95)}");
        report.Row($"2. round latency: 12-participant SOIA round over HTTP ({roundTimes.Count} rounds)",
            $"median {Report.Ms(roundMedian)}, p95 {Report.Ms(roundP95)}", $"median {Report.Ms(floorMedian)}", Report.X(ratio), "≤ 1.5x", ratio <= 1.5);
    }

    if (plan.Runs("throughput"))
    {
        Phase($"3. throughput: {plan.ThroughputRounds} concurrent 12-participant rounds, then as many bare orchestrations");
        var poll = TimeSpan.FromMilliseconds(500);
        await using var outbox = new OutboxPoller(host.OutboxPath, poll);
        var roundClock = Stopwatch.StartNew();
        var roundRuns = await Task.WhenAll(Enumerable.Range(0, plan.ThroughputRounds).Select(_ => Task.Run(() => rounds.RunAsync(outbox, twelve, poll, 4, pollStorage: true))));
        var roundMinutes = roundClock.Elapsed.TotalMinutes;

        var floorClock = Stopwatch.StartNew();
        var floorRuns = await Task.WhenAll(Enumerable.Range(0, plan.ThroughputRounds).Select(_ => Task.Run(() => floor.RunAsync(BenchPlan.RoundParticipants, poll))));
        var floorMinutes = floorClock.Elapsed.TotalMinutes;

        var perMinute = plan.ThroughputRounds / roundMinutes;
        var floorPerMinute = plan.ThroughputRounds / floorMinutes;
        var ratio = perMinute / floorPerMinute;
        Console.WriteLine($"  rounds: {roundMinutes * 60:N1} s ({perMinute:N1}/min, median round {Stats.Median(roundRuns.Select(r => r.TotalMs).ToList()):N0} ms); bare: {floorMinutes * 60:N1} s ({floorPerMinute:N1}/min, median {Stats.Median(floorRuns.Select(r => r.TotalMs).ToList()):N0} ms)");
        report.Add("throughputRounds", plan.ThroughputRounds);
        report.Add("throughputRoundsPerMinute", perMinute);
        report.Add("throughputEngineFloorPerMinute", floorPerMinute);
        report.Add("throughputRatio", ratio);
        report.Row($"3. throughput: {plan.ThroughputRounds} concurrent 12-participant rounds",
            $"{Report.Num(perMinute)} rounds/min", $"{Report.Num(floorPerMinute)} bare/min", Report.X(ratio), "≥ 0.7x", ratio >= 0.7);
    }

    if (plan.Runs("scale"))
    {
        var results = new Dictionary<int, ScaleFigures>();
        foreach (var size in plan.ScaleSizes)
        {
            // Each size on a fresh backend: the sizes are compared with each other.
            await using var backend = await Backend.StartAsync(http, size);
            var runs = new List<ScaleFigures>();
            var repetitions = size >= 1000 ? Math.Min(2, plan.ScaleRepetitions) : plan.ScaleRepetitions;
            for (var run = 1; run <= repetitions; run++)
            {
                Phase($"5. scale: a round of {size} participants ({run} of {repetitions})");
                var poll = TimeSpan.FromMilliseconds(size >= 1000 ? 250 : 100);
                await using var outbox = new OutboxPoller(backend.Host.OutboxPath, poll);
                var timing = await backend.Rounds.RunAsync(outbox, BenchDirectory.Codes(size), poll, 32);
                var history = await HistorySize.ReadAsync(backend.Storage.Tables, backend.Storage.Blobs, backend.Host.TaskHub, timing.Id);
                if (args.Contains("--timeline"))
                {
                    var timeline = Path.Combine(Path.GetTempPath(), $"multilateralflows-bench-timeline-{size}.txt");
                    await File.WriteAllLinesAsync(timeline, await HistorySize.TimelineAsync(backend.Storage.Tables, backend.Host.TaskHub, timing.Id));
                    Console.WriteLine($"  history timeline written to {timeline}");
                }

                var figures = new ScaleFigures(timing.RequestsSent.TotalMilliseconds, (timing.RepliesPosted - timing.RequestsSent).TotalMilliseconds,
                    timing.LastReplyToPositionMs, history.Rows, history.Bytes / 1024.0);
                runs.Add(figures);
                Console.WriteLine($"  requests sent {figures.RequestsSentMs:N0} ms, replies {figures.RepliesMs:N0} ms, last reply to position {figures.PositionMs:N0} ms; history {history.Rows} rows, {figures.HistoryKilobytes:N0} KB ({history.LargeBlobs} large-message blobs)");
            }

            var median = ScaleFigures.Median(runs);
            results[size] = median;
            report.Add($"scale{size}Rounds", runs.Count);
            report.Add($"scale{size}RequestsSentMs", median.RequestsSentMs);
            report.Add($"scale{size}RepliesPostedMs", median.RepliesMs);
            report.Add($"scale{size}LastReplyToPositionMs", median.PositionMs);
            report.Add($"scale{size}HistoryRows", median.HistoryRows);
            report.Add($"scale{size}HistoryKilobytes", median.HistoryKilobytes);
            report.Row($"5. scale, {size:N0} participants{(runs.Count > 1 ? $" (median of {runs.Count})" : "")}",
                $"requests sent {Report.Ms(median.RequestsSentMs)}, last reply → position {Report.Ms(median.PositionMs)}, history {median.HistoryRows:N0} rows / {Report.Num(median.HistoryKilobytes, "N0")} KB");
        }

        if (results.TryGetValue(100, out var small) && results.TryGetValue(1000, out var large))
        {
            var sent = large.RequestsSentMs / small.RequestsSentMs;
            var position = large.PositionMs / small.PositionMs;
            var history = large.HistoryKilobytes / small.HistoryKilobytes;
            report.Add("scaleRequestsSentGrowth1000over100", sent);
            report.Add("scaleLastReplyToPositionGrowth1000over100", position);
            report.Add("scaleHistoryGrowth1000over100", history);
            var worst = Math.Max(sent, Math.Max(position, history));
            report.Row("5. scale: growth from 100 to 1,000 participants",
                $"requests sent {Report.X(sent)}, last reply → position {Report.X(position)}, history {Report.X(history)}", "", "", "≤ 12x each", worst <= 12);
        }
    }

    if (plan.Runs("reply"))
    {
        Phase("4. reply endpoint: closed-loop clients posting valid replies, against raw table upserts");
        // A fresh backend: the endpoint and the raw upserts on the same, empty Azurite.
        await using var backend = await Backend.StartAsync(http, 65);
        var participants = BenchDirectory.Codes(65);
        await using var outbox = new OutboxPoller(backend.Host.OutboxPath, latencyPoll);
        var roundId = await backend.Rounds.StartAsync(participants);
        // Everyone but the last replies (again and again): the round keeps collecting.
        var links = (await backend.Rounds.ReplyLinksAsync(outbox, roundId, participants.Count))
            .Where(link => link.Key != participants[^1]).OrderBy(link => link.Key, StringComparer.Ordinal).Select(link => link.Value).ToList();
        var raw = backend.Storage.Tables.GetTableClient("RawUpserts");
        await raw.CreateIfNotExistsAsync();

        var rawResults = new Dictionary<int, ReplyLoad.Result>();
        foreach (var clients in plan.ReplyClients)
        {
            rawResults[clients] = await ReplyLoad.RunAsync(clients, plan.ReplyWarmUp, plan.ReplyDuration, ReplyLoad.RawUpsert(raw));
            Print("raw upsert", rawResults[clients]);
        }

        foreach (var clients in plan.ReplyClients)
        {
            var reply = await ReplyLoad.RunAsync(clients, plan.ReplyWarmUp, plan.ReplyDuration, (client, n) => backend.Rounds.ReplyAsync(links[client % links.Count], n));
            Print("reply", reply);
            var floorRun = rawResults[clients];
            var ratio = reply.PerSecond / floorRun.PerSecond;
            report.Add($"reply{clients}PerSecond", reply.PerSecond);
            report.Add($"reply{clients}P50Ms", reply.P50Ms);
            report.Add($"reply{clients}P99Ms", reply.P99Ms);
            report.Add($"reply{clients}Errors", reply.Errors);
            report.Add($"rawUpsert{clients}PerSecond", floorRun.PerSecond);
            report.Add($"rawUpsert{clients}P50Ms", floorRun.P50Ms);
            report.Add($"rawUpsert{clients}P99Ms", floorRun.P99Ms);
            report.Add($"reply{clients}Ratio", ratio);
            var met = ratio >= 0.5 && reply.Errors == 0 && (clients != 16 || reply.P99Ms < 100);
            report.Row($"4. reply endpoint, {clients} clients",
                $"{Report.Num(reply.PerSecond)}/s, p50 {Report.Ms(reply.P50Ms)}, p99 {Report.Ms(reply.P99Ms)}",
                $"{Report.Num(floorRun.PerSecond)} upserts/s, p50 {Report.Ms(floorRun.P50Ms)}, p99 {Report.Ms(floorRun.P99Ms)}",
                Report.X(ratio), clients == 16 ? "≥ 0.5x, p99 < 100 ms" : "≥ 0.5x", met);
        }

        Phase("4. reply endpoint, explained: storage requests per reply, counted on a second local host behind counting relays");
        var cost = await ReplyCost.MeasureAsync(backend.Storage, http, 16, plan.ReplyDuration, TimeSpan.FromSeconds(plan.Mode == "quick" ? 20 : 60));
        Console.WriteLine($"  {cost.Replies} replies: {cost.TotalPerReply:N1} storage requests each ({cost.TablePerReply:N1} table, {cost.QueuePerReply:N1} queue, {cost.BlobPerReply:N1} blob)");
        foreach (var (kind, perReply) in cost.Kinds)
        {
            Console.WriteLine($"    {perReply,6:N2}  {kind}");
        }
        report.Add("replyStorageRequestsPerReply", cost.TotalPerReply);
        report.Add("replyTableRequestsPerReply", cost.TablePerReply);
        report.Add("replyQueueRequestsPerReply", cost.QueuePerReply);
        report.Add("replyBlobRequestsPerReply", cost.BlobPerReply);
        report.Row("4. reply endpoint: storage requests per reply, all included (16 clients)",
            $"{Report.Num(cost.TotalPerReply)} ({Report.Num(cost.TablePerReply)} table, {Report.Num(cost.QueuePerReply)} queue, {Report.Num(cost.BlobPerReply)} blob)", "1 per upsert");
    }
}

if (plan.Runs("consolidation"))
{
    var total = report.Get("consolidationTotalMs");
    report.Row($"6. consolidation: {plan.ConsolidationParticipants:N0} contributions × 20 items × 4 KB remarks, md + html + json",
        $"{Report.Ms(total)}, processor time {Report.Ms(report.Get("consolidationTotalCpuMs"))} (assemble {Report.Ms(report.Get("consolidationAssembleMs"))}, md {Report.Ms(report.Get("consolidationMarkdownMs"))}, html {Report.Ms(report.Get("consolidationHtmlMs"))}, json {Report.Ms(report.Get("consolidationJsonMs"))})",
        "", "", "< 1 s", total < 1000);
}

var loadAtEnd = Machine.LoadAverage();
report.Add("loadAverageAtStart", loadAtStart);
report.Add("loadAverageAtEnd", loadAtEnd);
report.Add("runSeconds", wall.Elapsed.TotalSeconds);
Console.WriteLine();
Console.WriteLine($"MultilateralFlows benchmark ({plan.Mode}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {loadAtStart:N2} at start and {loadAtEnd:N2} at end, {wall.Elapsed.TotalSeconds:N0} s");
Console.WriteLine();
Console.WriteLine(report.Table());
report.WriteJson(plan.OutputPath, new Dictionary<string, JsonNode?>
{
    ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    ["mode"] = plan.Mode,
    ["cores"] = Environment.ProcessorCount,
});
Console.WriteLine($"Figures written to {plan.OutputPath}");
return 0;

void Phase(string name) => Console.WriteLine($"[{wall.Elapsed.TotalSeconds,5:N0} s] {name}");

static void Print(string what, ReplyLoad.Result r) =>
    Console.WriteLine($"  {what,-10} {r.Clients,2} clients: {r.Requests} in {r.Seconds:N1} s = {r.PerSecond:N1}/s, p50 {r.P50Ms:N1} ms, p99 {r.P99Ms:N1} ms, {r.Errors} errors");

/// <summary>What one round of a given size cost (figure 5).</summary>
sealed record ScaleFigures(double RequestsSentMs, double RepliesMs, double PositionMs, double HistoryRows, double HistoryKilobytes)
{
    public static ScaleFigures Median(IReadOnlyList<ScaleFigures> runs) => new(
        Stats.Median(runs.Select(r => r.RequestsSentMs).ToList()),
        Stats.Median(runs.Select(r => r.RepliesMs).ToList()),
        Stats.Median(runs.Select(r => r.PositionMs).ToList()),
        Stats.Median(runs.Select(r => r.HistoryRows).ToList()),
        Stats.Median(runs.Select(r => r.HistoryKilobytes).ToList()));
}
