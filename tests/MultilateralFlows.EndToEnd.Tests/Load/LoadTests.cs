using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Load;

/// <summary>The load test runs alone, after the others, so that its figures are its own.</summary>
[CollectionDefinition(nameof(LoadCollection), DisableParallelization = true)]
public sealed class LoadCollection;

/// <summary>
/// A bounded load on loopback: 50 rounds of 12 participants started at once, and their 600 replies sent 32 at a time.
/// Every round must reach review with every contribution, without a single error; how long it took is printed (in the
/// normal console output of <c>npm test</c>: this project's xunit.runner.json turns on diagnostic messages, which show
/// the output of passing tests), not asserted: the machine may be shared.
/// </summary>
[Collection(nameof(LoadCollection))]
public abstract class LoadTests(HostKind kind, ITestOutputHelper output) : HostTest(kind)
{
    const int Rounds = 50;
    const int ParticipantsPerRound = 12;
    const int ConcurrentReplies = 32;
    static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shipped directory has 11 Flemish policy areas, one short of a 12-participant SOIA round. The directory is
    /// data that operators extend in its table without a deploy, so the test does exactly that, in its own Azurite.
    /// </summary>
    static readonly string[] Participants = Enumerable.Range(1, ParticipantsPerRound).Select(i => $"load-area-{i:D2}").ToArray();

    /// <summary>A host of its own, on an Azurite of its own whose directory it extends first.</summary>
    protected override bool UsesSharedHost => false;

    HostProcess host = null!;

    async Task StartOnOwnStorageAsync()
    {
        var storage = await StartOwnStorageAsync();
        var directory = storage.Tables.GetTableClient("Directory");
        await directory.CreateIfNotExistsAsync();
        foreach (var code in Participants)
        {
            await directory.AddEntityAsync(new TableEntity("participant", code)
            {
                ["Name"] = $"Load test area {code[^2..]}",
                ["Level"] = "FlemishPolicyArea",
                ["Emails"] = $"{code}@load.example",
                ["Language"] = "nl",
            });
        }

        host = await StartHostAsync(storage: storage);
    }

    [SkippableFact]
    public async Task FiftyRoundsOfTwelve_RepliesArrivingConcurrently_EveryRoundReachesReviewWithEveryContribution()
    {
        await StartOnOwnStorageAsync();
        var clock = Stopwatch.StartNew();
        var errors = new ConcurrentQueue<string>();

        // 50 rounds started at once.
        var ids = await Task.WhenAll(Enumerable.Range(1, Rounds).Select(async n =>
            await host.StartAsync(RoundRequests.Soia(Participants).With("title", $"Load round {n:D2}"))));
        var started = clock.Elapsed;

        // 600 request e-mails.
        var links = new ConcurrentDictionary<(string Round, string Participant), string>();
        foreach (var id in ids)
        {
            foreach (var request in await host.MailFolder.WaitForAsync(id, ParticipantsPerRound, timeout: PhaseTimeout))
            {
                links[(id, request.ParticipantId)] = request.ReplyLink;
            }
        }

        var requested = clock.Elapsed;

        // 600 replies, 32 in flight at any time, in an order that interleaves the rounds.
        var latencies = new ConcurrentBag<double>();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        var replies = links.Keys.OrderBy(k => k.Participant, StringComparer.Ordinal).ThenBy(k => k.Round, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(replies, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentReplies }, async (key, ct) =>
        {
            var (stance, remarks) = AnswerOf(key.Round, key.Participant);
            var body = new JsonObject
            {
                ["items"] = new JsonArray(
                    new JsonObject { ["itemId"] = "5.I", ["stance"] = stance, ["remarks"] = remarks },
                    new JsonObject { ["itemId"] = "12", ["stance"] = "Agree" }),
            };
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await client.PostAsJsonAsync(links[key], body, ct);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    errors.Enqueue($"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
            catch (HttpRequestException e)
            {
                errors.Enqueue($"{key}: {e.Message}");
            }
        });
        var replied = clock.Elapsed;

        // Every round in review.
        var until = DateTime.UtcNow + PhaseTimeout;
        int inReview;
        while ((inReview = await CountInReviewAsync(ids)) < Rounds && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var reviewed = clock.Elapsed;
        var sorted = latencies.Order().ToList();
        var report = new List<string>
        {
            $"Load on the {Kind} host: {Rounds} rounds × {ParticipantsPerRound} participants, replies {ConcurrentReplies} at a time, on {Environment.ProcessorCount} processor(s)",
            $"  rounds started (HTTP 202)        {started.TotalSeconds,7:F1} s",
            $"  all {links.Count} request e-mails written {requested.TotalSeconds,7:F1} s",
            $"  all {sorted.Count} replies answered       {replied.TotalSeconds,7:F1} s  ({sorted.Count / (replied - requested).TotalSeconds:F1} replies/s; latency p50 {Percentile(sorted, 0.50):F0} ms, p95 {Percentile(sorted, 0.95):F0} ms, max {sorted.LastOrDefault():F0} ms)",
            $"  {inReview} of {Rounds} rounds in review       {reviewed.TotalSeconds,7:F1} s",
            $"  errors                           {errors.Count}",
        };
        report.AddRange(errors.Take(10).Select(e => $"    {e}"));
        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        Assert.Empty(errors);
        Assert.Equal(Rounds, inReview);
        foreach (var id in ids)
        {
            var position = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{id}/position"))!;
            foreach (var item in position["items"]!.AsArray())
            {
                Assert.Empty(item!["missing"]!.AsArray());
                var stances = item["stances"]!.AsArray();
                Assert.Equal(Participants, stances.Select(s => s!["participant"]!.GetValue<string>()).Order(StringComparer.Ordinal));
                if (item["itemId"]!.GetValue<string>() == "5.I")
                {
                    Assert.All(stances, s => Assert.Equal(AnswerOf(id, s!["participant"]!.GetValue<string>()).Remarks, s!["remarks"]?.GetValue<string>()));
                }
            }
        }
    }

    static (string Stance, string Remarks) AnswerOf(string roundId, string participant) =>
        (participant.EndsWith('3') ? "Objection" : "AgreeWithRemarks", $"{participant} in round {roundId}");

    async Task<int> CountInReviewAsync(IReadOnlyCollection<string> ids)
    {
        var list = (await host.Client.GetFromJsonAsync<JsonObject>("/api/rounds?phase=Reviewing&top=500"))!;
        return list["rounds"]!.AsArray().Count(r => ids.Contains(r!["id"]!.GetValue<string>()));
    }

    static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public sealed class OnLocalHost(ITestOutputHelper output) : LoadTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : LoadTests(HostKind.Functions, output);
}
