using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Benchmarks;
using MultilateralFlows.Testing;

// How close a round runs to what the Durable Task engine and storage allow: every figure next to its floor, measured
// in the same run on the same machine, on the local host and on the Functions app on the Azure Functions host.
// `--quick` (under six minutes), `--only=latency,throughput,reply,scale,consolidation`, `--hosts=local,functions`,
// `--out=path.json`.
var plan = BenchPlan.Parse(args);
var report = new Report();
var loadAtStart = Machine.LoadAverage();
var wall = Stopwatch.StartNew();
Console.WriteLine(
    $"MultilateralFlows benchmark ({plan.Mode}): {Environment.ProcessorCount} cores, load average {loadAtStart:N2}, " +
    $"figures {string.Join(", ", plan.Figures)}, hosts {string.Join(", ", plan.Hosts.Select(BenchPlan.NameOf))}");
if (plan.Runs(HostKind.Functions) && FunctionsHostRunner.Unavailable is { } unavailable)
{
    // Said once, up front: every figure below is then measured on the local host alone.
    Console.WriteLine($"Functions host figures skipped: {unavailable}");
    plan = plan.Without(HostKind.Functions);
}
else if (plan.Runs(HostKind.Functions))
{
    Console.WriteLine($"Functions host: {FunctionsHostRunner.Description}");
}

if (plan.Runs("consolidation"))
{
    Phase("6. consolidation");
    var c = await ConsolidationBenchmark.RunAsync(plan.ConsolidationParticipants, 20, 4096, plan.ConsolidationRepetitions);
    report.Add("consolidationParticipants", c.Participants);
    report.Add("consolidationAssembleMs", c.AssembleMs);
    report.Add("consolidationMarkdownMs", c.MarkdownMs);
    report.Add("consolidationHtmlMs", c.HtmlMs);
    report.Add("consolidationJsonMs", c.JsonMs);
    report.Add("consolidationTotalMs", c.TotalMs);
    report.Add("consolidationTotalCpuMs", c.TotalCpuMs);
    report.Add("consolidationOutputMegabytes", c.OutputChars / 1_000_000.0);
    Console.WriteLine(
        $"  assemble {c.AssembleMs:N0} ms, markdown {c.MarkdownMs:N0} ms, html {c.HtmlMs:N0} ms, json {c.JsonMs:N0} ms: " +
        $"total {c.TotalMs:N0} ms ({c.TotalCpuMs:N0} ms processor time) for {c.OutputChars / 1e6:N0} M characters, checksum {c.Checksum}");
    GC.Collect();
}

var needsStorage = plan.Figures.Any(f => f != "consolidation");
if (needsStorage)
{
    using var http = new HttpClient(
        new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
    {
        Timeout = TimeSpan.FromMinutes(2),
    };
    using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

    var twelve = BenchDirectory.Codes(BenchPlan.RoundParticipants);
    var latencyPoll = TimeSpan.FromMilliseconds(100);

    if (plan.Runs("latency") || plan.Runs("throughput"))
    {
        // Figures 1-3: the rounds on every host and their floor on one Azurite, one after the other.
        await using var main = await Backend.StartAsync(http, BenchPlan.RoundParticipants, plan.Hosts);
        var storage = main.Storage;
        await using var floor = await EngineFloor.StartAsync(storage, loggerFactory);
        var hostsText = string.Join(
            ", ", main.Hosts.Select(r => $"{BenchPlan.NameOf(r.Host.Kind)} host on {r.Host.Port} (hub {r.Host.TaskHub})"));
        Console.WriteLine(
            $"  Azurite on {storage.TablePort}, {hostsText}, floor hub {floor.TaskHub}; ready after {wall.Elapsed.TotalSeconds:N0} s");

        if (plan.Runs("latency"))
        {
            var order = string.Join(", ", main.Hosts.Select(r => BenchPlan.NameOf(r.Host.Kind)));
            Phase($"1-2. engine floor and round latency (12 participants, one at a time, interleaved: floor, {order})");
            await using var mailFolder = new MailFolderPoller([.. main.Hosts.Select(r => r.Host.MailFolderPath)], latencyPoll);
            var floorTimes = new List<RoundTiming>();
            var roundTimes = main.Hosts.ToDictionary(r => r.Host.Kind, _ => new List<RoundTiming>());
            for (var i = -plan.LatencyWarmUps; i < plan.LatencyRounds; i++)
            {
                var f = await floor.RunAsync(BenchPlan.RoundParticipants, latencyPoll);
                var line = $"  {(i < 0 ? "warm-up" : $"#{i + 1}"),-8} floor {f.TotalMs,6:N0} ms " +
                    $"(rows {f.RequestsSent.TotalMilliseconds,5:N0}, events {(f.RepliesPosted - f.RequestsSent).TotalMilliseconds,5:N0}, " +
                    $"to blob {f.LastReplyToPositionMs,5:N0})";
                foreach (var rounds in main.Hosts)
                {
                    var r = await rounds.RunAsync(mailFolder, twelve, latencyPoll, BenchPlan.RoundParticipants);
                    line += $"   {BenchPlan.NameOf(rounds.Host.Kind)} {r.TotalMs,6:N0} ms " +
                        $"(e-mails {r.RequestsSent.TotalMilliseconds,5:N0}, replies {(r.RepliesPosted - r.RequestsSent).TotalMilliseconds,5:N0}, " +
                        $"to position {r.LastReplyToPositionMs,5:N0})";
                    if (i >= 0)
                    {
                        roundTimes[rounds.Host.Kind].Add(r);
                    }
                }

                Console.WriteLine(line);
                if (i >= 0)
                {
                    floorTimes.Add(f);
                }
            }

            if (args.Contains("--timeline"))
            {
                Console.WriteLine($"  timeline of the last bare orchestration {floorTimes[^1].Id}:");
                foreach (var line in await HistorySize.TimelineAsync(storage.Tables, floor.TaskHub, floorTimes[^1].Id))
                {
                    Console.WriteLine($"    {line}");
                }

                foreach (var rounds in main.Hosts)
                {
                    var last = roundTimes[rounds.Host.Kind][^1];
                    Console.WriteLine($"  timeline of the last round on the {BenchPlan.NameOf(rounds.Host.Kind)} host {last.Id}:");
                    foreach (var line in await HistorySize.TimelineAsync(storage.Tables, rounds.Host.TaskHub, last.Id))
                    {
                        Console.WriteLine($"    {line}");
                    }
                }
            }

            var floorMedian = Stats.Median(floorTimes.Select(t => t.TotalMs).ToList());
            var floorP95 = Stats.Percentile(floorTimes.Select(t => t.TotalMs).ToList(), 95);
            report.Add("latencyRounds", floorTimes.Count);
            report.Add("engineFloorMedianMs", floorMedian);
            report.Add("engineFloorP95Ms", floorP95);
            report.Add("engineFloorRowsWrittenMedianMs", Stats.Median(floorTimes.Select(t => t.RequestsSent.TotalMilliseconds).ToList()));
            report.Add(
                "engineFloorEventsRaisedMedianMs",
                Stats.Median(floorTimes.Select(t => (t.RepliesPosted - t.RequestsSent).TotalMilliseconds).ToList()));
            report.Add("engineFloorLastEventToBlobMedianMs", Stats.Median(floorTimes.Select(t => t.LastReplyToPositionMs).ToList()));
            Console.WriteLine(
                $"  medians, floor: rows {report.Get("engineFloorRowsWrittenMedianMs"):N0} ms, " +
                $"events {report.Get("engineFloorEventsRaisedMedianMs"):N0} ms, " +
                $"last event to blob {report.Get("engineFloorLastEventToBlobMedianMs"):N0} ms");
            report.Row("1. engine floor: bare 12-way orchestration, end to end", "", $"median {Report.Ms(floorMedian)}, p95 {Report.Ms(floorP95)}");
            foreach (var (kind, times) in roundTimes)
            {
                var roundMedian = Stats.Median(times.Select(t => t.TotalMs).ToList());
                var roundP95 = Stats.Percentile(times.Select(t => t.TotalMs).ToList(), 95);
                var ratio = Stats.Ratio(roundMedian, floorMedian);
                report.Add(Key(kind, "roundLatencyMedianMs"), roundMedian);
                report.Add(Key(kind, "roundLatencyP95Ms"), roundP95);
                report.Add(Key(kind, "roundRequestsSentMedianMs"), Stats.Median(times.Select(t => t.RequestsSent.TotalMilliseconds).ToList()));
                report.Add(Key(kind, "roundLastReplyToPositionMedianMs"), Stats.Median(times.Select(t => t.LastReplyToPositionMs).ToList()));
                report.Add(
                    Key(kind, "roundRepliesPostedMedianMs"),
                    Stats.Median(times.Select(t => (t.RepliesPosted - t.RequestsSent).TotalMilliseconds).ToList()));
                report.Add(Key(kind, "roundLatencyRatio"), ratio);
                report.Add(Key(kind, "roundLatencyP95Ratio"), Stats.Ratio(roundP95, floorP95));
                var overLocal = OverLocal(kind, "roundLatencyMedianMs", "functionsRoundLatencyOverLocal");
                Console.WriteLine(
                    $"  medians, {BenchPlan.NameOf(kind)} host: e-mails {report.Get(Key(kind, "roundRequestsSentMedianMs")):N0} ms, " +
                    $"replies {report.Get(Key(kind, "roundRepliesPostedMedianMs")):N0} ms, " +
                    $"last reply to position {report.Get(Key(kind, "roundLastReplyToPositionMedianMs")):N0} ms");
                report.Row($"2. round latency, {HostLabel(kind)}: 12-participant SOIA round over HTTP ({times.Count} rounds)",
                    $"median {Report.Ms(roundMedian)}, p95 {Report.Ms(roundP95)}",
                    $"median {Report.Ms(floorMedian)}",
                    RatioText(ratio, overLocal),
                    "≤ 1.5x",
                    ratio <= 1.5);
            }
        }

        if (plan.Runs("throughput"))
        {
            Phase($"3. throughput: {plan.ThroughputRounds} concurrent 12-participant rounds on each host in turn, then as many bare orchestrations");
            var poll = TimeSpan.FromMilliseconds(500);
            await using var mailFolder = new MailFolderPoller([.. main.Hosts.Select(r => r.Host.MailFolderPath)], poll);
            var perMinute = new Dictionary<HostKind, double>();
            var processorText = new List<string>();
            foreach (var rounds in main.Hosts)
            {
                var processorBefore = ProcessorUse.Sample(rounds.Host, storage);
                var roundClock = Stopwatch.StartNew();
                var roundRuns = await Task.WhenAll(Enumerable.Range(0, plan.ThroughputRounds)
                    .Select(_ => Task.Run(() => rounds.RunAsync(mailFolder, twelve, poll, 4, pollStorage: true))));
                var roundMinutes = roundClock.Elapsed.TotalMinutes;
                var kind = rounds.Host.Kind;
                var used = ProcessorUse.Sample(rounds.Host, storage) - processorBefore;
                perMinute[kind] = plan.ThroughputRounds / roundMinutes;
                report.Add(Key(kind, "throughputHostCpuMsPerRound"), used.Host.TotalMilliseconds / plan.ThroughputRounds);
                if (kind == HostKind.Functions)
                {
                    report.Add(Key(kind, "throughputWorkerCpuMsPerRound"), used.Worker.TotalMilliseconds / plan.ThroughputRounds);
                }

                report.Add(Key(kind, "throughputAzuriteCpuMsPerRound"), used.Azurite.TotalMilliseconds / plan.ThroughputRounds);
                var text = kind == HostKind.Functions
                    ? $"Functions host {Report.Ms(used.Host.TotalMilliseconds / plan.ThroughputRounds)} " +
                        $"+ worker {Report.Ms(used.Worker.TotalMilliseconds / plan.ThroughputRounds)}"
                    : $"local host {Report.Ms(used.Host.TotalMilliseconds / plan.ThroughputRounds)}";
                processorText.Add($"{text} + Azurite {Report.Ms(used.Azurite.TotalMilliseconds / plan.ThroughputRounds)}");
                var roundMedian = Stats.Median(roundRuns.Select(r => r.TotalMs).ToList());
                Console.WriteLine(
                    $"  {BenchPlan.NameOf(kind)} host: {roundMinutes * 60:N1} s ({perMinute[kind]:N1}/min, median round {roundMedian:N0} ms); " +
                    $"processor time per round: {processorText[^1]}");
            }

            // The floor's engine runs in this process, with the drivers of every figure: its processor time is this process's.
            var benchBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var azuriteBefore = ProcessorUse.Sample(main.Hosts[0].Host, storage).Azurite;
            var floorClock = Stopwatch.StartNew();
            var floorRuns = await Task.WhenAll(Enumerable.Range(0, plan.ThroughputRounds)
                .Select(_ => Task.Run(() => floor.RunAsync(BenchPlan.RoundParticipants, poll))));
            var floorMinutes = floorClock.Elapsed.TotalMinutes;
            var floorPerMinute = plan.ThroughputRounds / floorMinutes;
            var floorCpu = (Process.GetCurrentProcess().TotalProcessorTime - benchBefore).TotalMilliseconds / plan.ThroughputRounds;
            var floorAzuriteCpu =
                (ProcessorUse.Sample(main.Hosts[0].Host, storage).Azurite - azuriteBefore).TotalMilliseconds / plan.ThroughputRounds;
            var floorRunMedian = Stats.Median(floorRuns.Select(r => r.TotalMs).ToList());
            Console.WriteLine(
                $"  bare: {floorMinutes * 60:N1} s ({floorPerMinute:N1}/min, median {floorRunMedian:N0} ms); " +
                $"processor time per orchestration: benchmark process {floorCpu:N0} ms + Azurite {floorAzuriteCpu:N0} ms");
            report.Add("throughputRounds", plan.ThroughputRounds);
            report.Add("throughputEngineFloorPerMinute", floorPerMinute);
            report.Add("throughputEngineFloorCpuMsPerRound", floorCpu);
            report.Add("throughputEngineFloorAzuriteCpuMsPerRound", floorAzuriteCpu);
            foreach (var (kind, rate) in perMinute)
            {
                var ratio = rate / floorPerMinute;
                report.Add(Key(kind, "throughputRoundsPerMinute"), rate);
                report.Add(Key(kind, "throughputRatio"), ratio);
                report.Row($"3. throughput, {HostLabel(kind)}: {plan.ThroughputRounds} concurrent 12-participant rounds",
                    $"{Report.Num(rate)} rounds/min",
                    $"{Report.Num(floorPerMinute)} bare/min",
                    RatioText(ratio, OverLocal(kind, "throughputRoundsPerMinute", "functionsThroughputOverLocal")),
                    "≥ 0.7x",
                    ratio >= 0.7);
            }

            report.Row(
                "3. throughput: processor time per round",
                string.Join("; ", processorText),
                $"benchmark process (engine and drivers) {Report.Ms(floorCpu)} + Azurite {Report.Ms(floorAzuriteCpu)}");
        }
    }

    if (plan.Runs("scale") && !plan.Runs(HostKind.Local))
    {
        Phase("5. scale: measured on the local host only, which this run leaves out (--hosts)");
    }
    else if (plan.Runs("scale"))
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
                var rounds = backend.Rounds(HostKind.Local);
                await using var mailFolder = new MailFolderPoller(rounds.Host.MailFolderPath, poll);
                var timing = await rounds.RunAsync(mailFolder, BenchDirectory.Codes(size), poll, 32);
                var history = await HistorySize.ReadAsync(backend.Storage.Tables, backend.Storage.Blobs, rounds.Host.TaskHub, timing.Id);
                if (args.Contains("--timeline"))
                {
                    var timeline = Path.Combine(Path.GetTempPath(), $"multilateralflows-bench-timeline-{size}.txt");
                    await File.WriteAllLinesAsync(timeline, await HistorySize.TimelineAsync(backend.Storage.Tables, rounds.Host.TaskHub, timing.Id));
                    Console.WriteLine($"  history timeline written to {timeline}");
                }

                var figures = new ScaleFigures(timing.RequestsSent.TotalMilliseconds, (timing.RepliesPosted - timing.RequestsSent).TotalMilliseconds,
                    timing.LastReplyToPositionMs, history.Rows, history.Bytes / 1024.0, history.CurrentRows);
                runs.Add(figures);
                Console.WriteLine(
                    $"  requests sent {figures.RequestsSentMs:N0} ms, replies {figures.RepliesMs:N0} ms, " +
                    $"last reply to position {figures.PositionMs:N0} ms; " +
                    $"history {history.Rows} rows ({history.CurrentRows} in the current execution), {figures.HistoryKilobytes:N0} KB " +
                    $"({history.LargeBlobs} large-message blobs)");
            }

            var median = ScaleFigures.Median(runs);
            results[size] = median;
            report.Add($"scale{size}Rounds", runs.Count);
            report.Add($"scale{size}RequestsSentMs", median.RequestsSentMs);
            report.Add($"scale{size}RepliesPostedMs", median.RepliesMs);
            report.Add($"scale{size}LastReplyToPositionMs", median.PositionMs);
            report.Add($"scale{size}HistoryRows", median.HistoryRows);
            report.Add($"scale{size}CurrentHistoryRows", median.CurrentHistoryRows);
            report.Add($"scale{size}HistoryKilobytes", median.HistoryKilobytes);
            report.Row($"5. scale, {size:N0} participants{(runs.Count > 1 ? $" (median of {runs.Count})" : "")}",
                $"requests sent {Report.Ms(median.RequestsSentMs)}, last reply → position {Report.Ms(median.PositionMs)}, " +
                $"history {median.HistoryRows:N0} rows / {Report.Num(median.HistoryKilobytes, "N0")} KB, " +
                $"{median.CurrentHistoryRows:N0} rows replayed");
        }

        if (results.TryGetValue(100, out var small) && results.TryGetValue(1000, out var large))
        {
            var sent = large.RequestsSentMs / small.RequestsSentMs;
            var position = large.PositionMs / small.PositionMs;
            var history = large.HistoryKilobytes / small.HistoryKilobytes;
            var replayed = large.CurrentHistoryRows / small.CurrentHistoryRows;
            report.Add("scaleRequestsSentGrowth1000over100", sent);
            report.Add("scaleLastReplyToPositionGrowth1000over100", position);
            report.Add("scaleHistoryGrowth1000over100", history);
            report.Add("scaleReplayedHistoryGrowth1000over100", replayed);
            var worst = Math.Max(sent, Math.Max(position, history));
            report.Row("5. scale: growth from 100 to 1,000 participants",
                $"requests sent {Report.X(sent)}, last reply → position {Report.X(position)}, " +
                $"history {Report.X(history)}, rows replayed {Report.X(replayed)}",
                "", "", "≤ 12x each; rows replayed ≤ 2x", worst <= 12 && replayed <= 2);
        }
    }

    if (plan.Runs("reply"))
    {
        foreach (var kind in plan.Hosts)
        {
            await ReplyEndpointAsync(kind, http, latencyPoll);
        }
    }
}

if (plan.Runs("consolidation"))
{
    var total = report.Get("consolidationTotalMs");
    report.Row($"6. consolidation: {plan.ConsolidationParticipants:N0} contributions × 20 items × 4 KB remarks, md + html + json",
        $"{Report.Ms(total)}, processor time {Report.Ms(report.Get("consolidationTotalCpuMs"))} " +
        $"(assemble {Report.Ms(report.Get("consolidationAssembleMs"))}, md {Report.Ms(report.Get("consolidationMarkdownMs"))}, " +
        $"html {Report.Ms(report.Get("consolidationHtmlMs"))}, json {Report.Ms(report.Get("consolidationJsonMs"))})",
        "", "", "< 1 s", total < 1000);
}

var loadAtEnd = Machine.LoadAverage();
report.Add("loadAverageAtStart", loadAtStart);
report.Add("loadAverageAtEnd", loadAtEnd);
report.Add("runSeconds", wall.Elapsed.TotalSeconds);
Console.WriteLine();
Console.WriteLine(
    $"MultilateralFlows benchmark ({plan.Mode}), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, " +
    $"load average {loadAtStart:N2} at start and {loadAtEnd:N2} at end, {wall.Elapsed.TotalSeconds:N0} s");
Console.WriteLine();
Console.WriteLine(report.Table());
report.WriteJson(plan.OutputPath, new Dictionary<string, JsonNode?>
{
    ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    ["mode"] = plan.Mode,
    ["hosts"] = string.Join(",", plan.Hosts.Select(BenchPlan.NameOf)),
    ["cores"] = Environment.ProcessorCount,
});
Console.WriteLine($"Figures written to {plan.OutputPath}");
return 0;

void Phase(string name) => Console.WriteLine($"[{wall.Elapsed.TotalSeconds,5:N0} s] {name}");

// Figure 4 on one host, on a backend of its own: the endpoint and its floor on the same, empty Azurite.
async Task ReplyEndpointAsync(HostKind kind, HttpClient http, TimeSpan poll)
{
    Phase($"4. reply endpoint, {HostLabel(kind)}: closed-loop clients posting valid replies, against {ReplyFloor.Description(kind)}");
    await using var backend = await Backend.StartAsync(http, 65, [kind]);
    var rounds = backend.Rounds(kind);
    var participants = BenchDirectory.Codes(65);
    await using var mailFolder = new MailFolderPoller(rounds.Host.MailFolderPath, poll);
    var roundId = await rounds.StartAsync(participants);
    var floor = await ReplyFloor.StartAsync(kind, backend, http, mailFolder, participants);
    // Everyone but the last replies (again and again): the round keeps collecting.
    var links = (await rounds.ReplyLinksAsync(mailFolder, roundId, participants.Count))
        .Where(link => link.Key != participants[^1])
        .OrderBy(link => link.Key, StringComparer.Ordinal)
        .Select(link => link.Value)
        .ToList();

    // The floor first, on the emptier store: the ratio does not flatter the reply.
    var floorResults = new Dictionary<int, ReplyLoad.Result>();
    foreach (var clients in plan.ReplyClients)
    {
        floorResults[clients] = await ReplyLoad.RunAsync(clients, plan.ReplyWarmUp, plan.ReplyDuration, floor.Request);
        Print(floor.Name, floorResults[clients]);
    }

    foreach (var clients in plan.ReplyClients)
    {
        var reply = await ReplyLoad.RunAsync(
            clients, plan.ReplyWarmUp, plan.ReplyDuration, (client, n) => rounds.ReplyAsync(links[client % links.Count], n));
        Print("reply", reply);
        var floorRun = floorResults[clients];
        var ratio = reply.PerSecond / floorRun.PerSecond;
        AddLoad(Key(kind, $"reply{clients}"), reply);
        AddLoad($"{floor.Key}{clients}", floorRun);
        report.Add(Key(kind, $"reply{clients}Ratio"), ratio);
        var overLocal = OverLocal(kind, $"reply{clients}PerSecond", $"functionsReply{clients}OverLocal");
        // The goal is the local host's, against the storage floor; where there is a goal, errors miss it rather than
        // show in the text.
        var (goal, met) = kind == HostKind.Local
            ? (clients == 16 ? "≥ 0.5x, p99 < 100 ms" : "≥ 0.5x", ratio >= 0.5 && reply.Errors == 0 && (clients != 16 || reply.P99Ms < 100))
            : ("", (bool?)null);
        report.Row($"4. reply endpoint, {HostLabel(kind)}, {clients} clients",
            reply.Text(errors: met is null), floor.Text(floorRun), RatioText(ratio, overLocal), goal, met);
    }

    var peer = kind == HostKind.Functions ? " and per raised event" : "";
    Phase($"4. reply endpoint, {HostLabel(kind)}, explained: storage requests per reply{peer}, " +
        $"counted on a second {HostLabel(kind)} behind counting relays");
    var cost = await ReplyCost.MeasureAsync(kind, backend.Storage, http, 16, plan.ReplyDuration, SettleLimit());
    PrintCost("reply", "replies", cost.Reply);
    AddCost(Key(kind, "reply"), "PerReply", cost.Reply);
    // The local host's floor, an upsert, is one storage request: only the Functions host's peer is counted.
    var (per, storageFloor, processorFloor, storageRatio) = ("reply", "1 per upsert", "", "");
    if (cost.RaiseEvent is { } raised)
    {
        PrintCost("raiseEvent", "events raised", raised);
        AddCost("raiseEvent", "PerCall", raised);
        (per, storageFloor, processorFloor, storageRatio) = ("call", $"raiseEvent API: {CostText(raised)}",
            $"raiseEvent API: {ProcessorText(raised)}", Report.X(cost.Reply.TotalPerCall / raised.TotalPerCall));
    }

    report.Row($"4. reply endpoint, {HostLabel(kind)}: storage requests per {per}, all included (16 clients)",
        CostText(cost.Reply), storageFloor, storageRatio);
    report.Row($"4. reply endpoint, {HostLabel(kind)}: processor time per {per}, all included (16 clients)",
        ProcessorText(cost.Reply), processorFloor);
}

// How long the round may work on after the last counted call before the count stops.
TimeSpan SettleLimit() => TimeSpan.FromSeconds(plan.Mode == "quick" ? 20 : 60);

// The Functions host's figure over the local host's of the same name, recorded under ratioName; NaN without the local host.
double OverLocal(HostKind kind, string name, string ratioName)
{
    if (kind == HostKind.Local || !double.IsFinite(report.Get(name)))
    {
        return double.NaN;
    }

    var ratio = Stats.Ratio(report.Get(Key(kind, name)), report.Get(name));
    report.Add(ratioName, ratio);
    return ratio;
}

void AddLoad(string prefix, ReplyLoad.Result r)
{
    report.Add($"{prefix}PerSecond", r.PerSecond);
    report.Add($"{prefix}P50Ms", r.P50Ms);
    report.Add($"{prefix}P99Ms", r.P99Ms);
    report.Add($"{prefix}Errors", r.Errors);
}

void AddCost(string prefix, string per, ReplyCost.Result cost)
{
    report.Add($"{prefix}StorageRequests{per}", cost.TotalPerCall);
    report.Add($"{prefix}TableRequests{per}", cost.TablePerCall);
    report.Add($"{prefix}QueueRequests{per}", cost.QueuePerCall);
    report.Add($"{prefix}BlobRequests{per}", cost.BlobPerCall);
    report.Add($"{prefix}HostCpuMs{per}", cost.Processor.Host);
    if (double.IsFinite(cost.Processor.Worker))
    {
        report.Add($"{prefix}WorkerCpuMs{per}", cost.Processor.Worker);
    }

    report.Add($"{prefix}AzuriteCpuMs{per}", cost.Processor.Azurite);
}

static void PrintCost(string what, string calls, ReplyCost.Result cost)
{
    Console.WriteLine(
        $"  {what}: {cost.Calls} {calls}, counted over {cost.Seconds:N0} s: {cost.TotalPerCall:N1} storage requests each " +
        $"({cost.TablePerCall:N1} table, {cost.QueuePerCall:N1} queue, {cost.BlobPerCall:N1} blob); processor time each: {ProcessorText(cost)}");
    var idleWorker = double.IsFinite(cost.IdleProcessor.Worker) ? $", worker {cost.IdleProcessor.Worker:N0} ms" : "";
    Console.WriteLine(
        $"    idle, taken off: {cost.IdleStoragePerSecond:N1} storage requests/s; " +
        $"processor per second: host {cost.IdleProcessor.Host:N0} ms{idleWorker}, Azurite {cost.IdleProcessor.Azurite:N0} ms");
    foreach (var (kind, perCall) in cost.Kinds)
    {
        Console.WriteLine($"    {perCall,6:N2}  {kind}");
    }
}

static string CostText(ReplyCost.Result cost) =>
    $"{Report.Num(cost.TotalPerCall)} " +
    $"({Report.Num(cost.TablePerCall)} table, {Report.Num(cost.QueuePerCall)} queue, {Report.Num(cost.BlobPerCall)} blob)";

static string ProcessorText(ReplyCost.Result cost) =>
    double.IsFinite(cost.Processor.Worker)
        ? $"host {Report.Num(cost.Processor.Host)} ms + worker {Report.Num(cost.Processor.Worker)} ms " +
            $"+ Azurite {Report.Num(cost.Processor.Azurite)} ms"
        : $"host {Report.Num(cost.Processor.Host)} ms + Azurite {Report.Num(cost.Processor.Azurite)} ms";

static void Print(string what, ReplyLoad.Result r) =>
    Console.WriteLine(
        $"  {what,-10} {r.Clients,2} clients: {r.Requests} in {r.Seconds:N1} s = {r.PerSecond:N1}/s, " +
        $"p50 {r.P50Ms:N1} ms, p99 {r.P99Ms:N1} ms, {r.Errors} errors");

// The JSON names: the local host's figures keep the names they had before the Functions host was measured.
static string Key(HostKind kind, string name) => kind == HostKind.Local ? name : $"functions{char.ToUpperInvariant(name[0])}{name[1..]}";

static string HostLabel(HostKind kind) => kind == HostKind.Local ? "local host" : "Functions host";

static string RatioText(double ratio, double overLocal) =>
    double.IsFinite(overLocal) ? $"{Report.X(ratio)}; Functions/local {Report.X(overLocal)}" : Report.X(ratio);

/// <summary>What one round of a given size cost (figure 5).</summary>
/// <param name="CurrentHistoryRows">The rows of the round's current execution: what each step replays.</param>
sealed record ScaleFigures(
    double RequestsSentMs, double RepliesMs, double PositionMs, double HistoryRows, double HistoryKilobytes, double CurrentHistoryRows)
{
    public static ScaleFigures Median(IReadOnlyList<ScaleFigures> runs) => new(
        Stats.Median(runs.Select(r => r.RequestsSentMs).ToList()),
        Stats.Median(runs.Select(r => r.RepliesMs).ToList()),
        Stats.Median(runs.Select(r => r.PositionMs).ToList()),
        Stats.Median(runs.Select(r => r.HistoryRows).ToList()),
        Stats.Median(runs.Select(r => r.HistoryKilobytes).ToList()),
        Stats.Median(runs.Select(r => r.CurrentHistoryRows).ToList()));
}
