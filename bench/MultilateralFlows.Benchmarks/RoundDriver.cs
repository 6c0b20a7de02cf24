using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Drives SOIA rounds on either host over HTTP as a coordinator and the participants would: start the round, find the
/// request e-mails with their reply links in the mail folder, reply through every link, and wait for the position. On the
/// Functions host the coordinator's requests carry the function key, as in Azure; reply links need none.
/// </summary>
public sealed class RoundDriver(HostProcess host, HttpClient http, AzuriteServer storage)
{
    static readonly string[] ItemIds = ["5.I", "12"];

    readonly TableClient roundsTable = storage.Tables.GetTableClient("Rounds");

    public HostProcess Host => host;

    /// <summary>A valid JSON reply to the two items of <see cref="RoundRequests.Soia"/>.</summary>
    public static string ReplyBody(int seed) =>
        new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject
                {
                    ["itemId"] = ItemIds[0],
                    ["stance"] = "AgreeWithRemarks",
                    ["remarks"] = $"Benchmark reply {seed}: we support the budget line, provided the education priorities keep their share.",
                },
                new JsonObject
                {
                    ["itemId"] = ItemIds[1],
                    ["stance"] = seed % 7 == 0 ? "Objection" : "Agree",
                    ["remarks"] = seed % 7 == 0 ? "The draft needs a clause on research ethics." : null,
                }),
        }.ToJsonString();

    public async Task<string> StartAsync(IReadOnlyList<string> participants)
    {
        using var request = CoordinatorRequest(HttpMethod.Post, $"{host.BaseUrl}/api/rounds");
        request.Content = JsonContent.Create(RoundRequests.Soia([.. participants]));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Starting a round failed: {(int)response.StatusCode} {body}");
        }

        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>The reply links of the round's request e-mails by participant, once all of them are in the mail folder.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReplyLinksAsync(MailFolderPoller mailFolder, string roundId, int participants)
    {
        await mailFolder.WaitForAsync(roundId, participants);
        return mailFolder.RequestFiles(roundId)
            .Select(path => new MailFolderMessage(Path.GetFileName(path), JsonNode.Parse(File.ReadAllText(path))!.AsObject()))
            .ToDictionary(message => message.ParticipantId, message => message.ReplyLink, StringComparer.Ordinal);
    }

    /// <summary>Posts a reply; the time it took, or throws when the reply was not recorded.</summary>
    public async Task<double> ReplyAsync(string link, int seed)
    {
        var clock = Stopwatch.StartNew();
        using var content = new StringContent(ReplyBody(seed), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(link, content);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"A reply was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.LoadIntoBufferAsync();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Posts every link's reply, at most <paramref name="parallel"/> at a time.</summary>
    public Task ReplyAllAsync(IReadOnlyList<string> links, int parallel) =>
        Parallel.ForEachAsync(
            links.Select((link, i) => (link, i)),
            new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (reply, _) => await ReplyAsync(reply.link, reply.i));

    /// <summary>Polls <c>GET /api/rounds/{id}</c>, as a coordinator would, until it shows a stored position.</summary>
    public async Task WaitForPositionAsync(string roundId, TimeSpan interval, TimeSpan timeout)
    {
        await Poll.UntilAsync(async () =>
        {
            using var request = CoordinatorRequest(HttpMethod.Get, $"{host.BaseUrl}/api/rounds/{roundId}");
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return status["positionVersion"]!.GetValue<int>() >= 1;
        }, interval, timeout, $"round {roundId} position");
    }

    /// <summary>The same fact from the round's row (what the status endpoint reads), for many rounds at once without loading the host.</summary>
    public async Task WaitForPositionInStorageAsync(string roundId, TimeSpan interval, TimeSpan timeout)
    {
        await Poll.UntilAsync(async () =>
        {
            var row = await roundsTable.GetEntityIfExistsAsync<TableEntity>(roundId, "round", ["PositionVersion"]);
            return row.HasValue && row.Value!.GetInt32("PositionVersion") >= 1;
        }, interval, timeout, $"round {roundId} position row");
    }

    /// <summary>A request to a coordinator route: with the function key on the Functions host, which refuses it without.</summary>
    HttpRequestMessage CoordinatorRequest(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        if (host.Kind == HostKind.Functions)
        {
            request.Headers.Add("x-functions-key", FunctionsHostProcess.FunctionKey);
        }

        return request;
    }

    /// <summary>One whole round: start, requests out, every reply in, position stored.</summary>
    public async Task<RoundTiming> RunAsync(
        MailFolderPoller mailFolder, IReadOnlyList<string> participants, TimeSpan pollInterval, int replyParallelism, bool pollStorage = false)
    {
        var clock = Stopwatch.StartNew();
        var roundId = await StartAsync(participants);
        var links = await ReplyLinksAsync(mailFolder, roundId, participants.Count);
        var sent = clock.Elapsed;

        await ReplyAllAsync([.. links.Values], replyParallelism);
        var replied = clock.Elapsed;

        var timeout = TimeSpan.FromMinutes(20);
        if (pollStorage)
        {
            await WaitForPositionInStorageAsync(roundId, pollInterval, timeout);
        }
        else
        {
            await WaitForPositionAsync(roundId, pollInterval, timeout);
        }

        return new RoundTiming(roundId, sent, replied, clock.Elapsed);
    }
}

/// <summary>
/// Watches the mail folders of one or more hosts: one listing of each per tick for every round waiting, so many
/// rounds can wait at once without the watching itself becoming the load. Request e-mails are files named
/// <c>{roundId}.{participant}.Request.{iteration}.json</c>; round ids are unique across hosts.
/// </summary>
public sealed class MailFolderPoller : IAsyncDisposable
{
    readonly IReadOnlyList<string> folders;
    readonly TimeSpan interval;
    readonly CancellationTokenSource stop = new();
    readonly Lock gate = new();
    readonly List<(string RoundId, int Count, TaskCompletionSource Done)> waiting = [];
    readonly Task loop;

    public MailFolderPoller(string folder, TimeSpan interval)
        : this([folder], interval)
    {
    }

    public MailFolderPoller(IReadOnlyList<string> folders, TimeSpan interval)
    {
        this.folders = folders;
        this.interval = interval;
        loop = Task.Run(WatchAsync);
    }

    public Task WaitForAsync(string roundId, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waiting.Add((roundId, count, done));
        }

        return done.Task.WaitAsync(TimeSpan.FromMinutes(20));
    }

    public IEnumerable<string> RequestFiles(string roundId) =>
        folders.Where(Directory.Exists).SelectMany(folder => Directory.EnumerateFiles(folder, $"{roundId}.*.Request.1.json"));

    async Task WatchAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            List<(string RoundId, int Count, TaskCompletionSource Done)> now;
            lock (gate)
            {
                now = [.. waiting];
            }

            if (now.Count > 0)
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var path in folders.Where(Directory.Exists).SelectMany(folder => Directory.EnumerateFiles(folder, "*.Request.1.json")))
                {
                    var name = Path.GetFileName(path);
                    var roundId = name[..name.IndexOf('.', StringComparison.Ordinal)];
                    counts[roundId] = counts.GetValueOrDefault(roundId) + 1;
                }

                lock (gate)
                {
                    foreach (var wait in now.Where(w => counts.GetValueOrDefault(w.RoundId) >= w.Count))
                    {
                        wait.Done.TrySetResult();
                        waiting.Remove(wait);
                    }
                }
            }

            try
            {
                await Task.Delay(interval, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
