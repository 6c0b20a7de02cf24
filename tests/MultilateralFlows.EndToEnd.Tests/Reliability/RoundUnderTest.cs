using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using System.Diagnostics;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Reliability;

/// <summary>
/// One SOIA round of all eleven Flemish policy areas, driven over HTTP through crashes, with a record of every reply a
/// participant was told was recorded (a 200) and every e-mail the mail folder received. At the end it checks what "nothing
/// is lost" means: each participant's last recorded reply is in the position, nobody is there twice, no e-mail went
/// out twice, and each recorded reply got its receipt.
/// </summary>
public sealed class RoundUnderTest
{
    public static readonly string[] Areas =
    [
        "agriculture-fisheries", "culture-youth-media", "economy-science-innovation", "education", "environment", "finance-budget",
        "foreign-affairs", "general-government-policy", "mobility-public-works", "welfare-health", "work-social-economy",
    ];

    /// <summary>Crash tests wait through a redelivery (15 s) and a restart on a busy machine: generous, never asserted.</summary>
    public static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(4);

    readonly Dictionary<string, string> links = new(StringComparer.Ordinal);
    readonly Dictionary<string, (int Version, string Stance, string Remarks)> recorded = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<int>> recordedVersions = new(StringComparer.Ordinal);
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly ITestOutputHelper output;

    RoundUnderTest(HostProcess host, AzuriteServer storage, string id, MailFolderWatcher watcher, ITestOutputHelper output)
    {
        this.output = output;
        Host = host;
        Storage = storage;
        Id = id;
        Watcher = watcher;
    }

    /// <summary>The host the round is driven through: the one it started on, unless <see cref="DriveThrough"/> changed it.</summary>
    public HostProcess Host { get; private set; }

    /// <summary>
    /// From now on the round is driven through another instance of the app, as a load balancer in front of several
    /// would: replies go to it whatever instance wrote their link.
    /// </summary>
    public void DriveThrough(HostProcess instance) => Host = instance;

    public AzuriteServer Storage { get; }

    public string Id { get; }

    public MailFolderWatcher Watcher { get; }

    /// <summary>
    /// Settings for a host that is going to be killed: in-flight activities come back after 15 s instead of 5 minutes,
    /// orchestration messages after a minute (the shortest control-queue visibility time-out Durable Functions accepts).
    /// </summary>
    public static Dictionary<string, string?> CrashSettings(params (string Name, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:15",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:01:00",
        };
        foreach (var (name, value) in more)
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>Starts the round; the watcher counts e-mails from before the first one is written.</summary>
    public static async Task<RoundUnderTest> StartAsync(HostProcess host, AzuriteServer storage, ITestOutputHelper output)
    {
        var watcher = new MailFolderWatcher(host.MailFolderPath);
        var id = await host.StartAsync(RoundRequests.Soia(Areas));
        var round = new RoundUnderTest(host, storage, id, watcher, output);
        round.Mark($"round {id} started");
        return round;
    }

    /// <summary>Writes where the test is, with the time since the start: the figures behind a slow or failed run.</summary>
    public void Mark(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,7:F1} s  {what}");

    /// <summary>Waits for every request e-mail and keeps the reply links.</summary>
    public async Task WaitForRequestsAsync()
    {
        var requests = await Host.MailFolder.WaitForAsync(Id, Areas.Length, timeout: PhaseTimeout);
        foreach (var request in requests)
        {
            links[request.ParticipantId] = request.ReplyLink;
        }

        Mark("every request e-mail written");
    }

    public static (string Stance, string Remarks) AnswerOf(string participant, string moment) =>
        (participant.Length % 2 == 0 ? "Objection" : "AgreeWithRemarks", $"{participant} on the budget, {moment}.");

    /// <summary>
    /// While storage is down a reply cannot be recorded and the host says so with a 5xx; the storage restart test sets
    /// this for that window. Anywhere else a 5xx fails the test.
    /// </summary>
    public bool StorageMayBeDown { get; set; }

    /// <summary>
    /// Sends one participant's reply. True when the host said it is recorded; false when the request did not get an
    /// answer (the host was killed under it) or, with <see cref="StorageMayBeDown"/>, a 5xx: the participant does not
    /// know it is recorded, so it will send it again.
    /// </summary>
    public async Task<bool> TryReplyAsync(string participant, string moment)
    {
        var (stance, remarks) = AnswerOf(participant, moment);
        HttpResponseMessage response;
        try
        {
            var link = Host.BaseUrl + new Uri(links[participant]).PathAndQuery;
            response = await RoundApi.ReplyJsonAsync(link, ("5.I", stance, remarks), ("12", "Agree", null));
        }
        catch (HttpRequestException)
        {
            return false;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (StorageMayBeDown && (int)response.StatusCode >= 500)
            {
                return false;
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Reply of {participant}: {(int)response.StatusCode} {body}");
            var version = JsonNode.Parse(body)!["version"]!.GetValue<int>();
            lock (recorded)
            {
                // Concurrent submissions are answered in any order: the position shows the highest version.
                if (!recorded.TryGetValue(participant, out var earlier) || earlier.Version < version)
                {
                    recorded[participant] = (version, stance, remarks);
                }

                (recordedVersions.TryGetValue(participant, out var versions) ? versions : recordedVersions[participant] = []).Add(version);
            }

            return true;
        }
    }

    public async Task ReplyAsync(string participant, string moment) =>
        Assert.True(await TryReplyAsync(participant, moment), $"Reply of {participant} got no answer.");

    public IReadOnlyCollection<string> Replied => recorded.Keys;

    /// <summary>
    /// Waits for a draft that holds every recorded reply and returns it. A reply recorded after the first draft (an
    /// amendment, or a retry) makes a new draft, so this waits for the latest rather than checking the first.
    /// </summary>
    public async Task<JsonObject> WaitForDraftWithEveryReplyAsync()
    {
        await Host.WaitForPhaseAsync(Id, "Reviewing", PhaseTimeout);
        Mark("in review");
        var until = DateTime.UtcNow + PhaseTimeout;
        while (true)
        {
            var position = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{Id}/position"))!;
            if (HoldsEveryRecordedReply(position) || DateTime.UtcNow > until)
            {
                AssertEveryRecordedReplyIn(position);
                Mark($"draft version {position["version"]} holds every recorded reply");
                return position;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The first draft holds every recorded reply, and the coordinator was told of it once, with a link to it.</summary>
    public async Task WaitForTheFirstDraftAndOneNoticeAsync()
    {
        var draft = await WaitForDraftWithEveryReplyAsync();
        Assert.Equal(1, draft["version"]!.GetValue<int>());
        var notice = (await Host.MailFolder.WaitForAsync(Id, 1, "CoordinatorNotice", PhaseTimeout)).Single();
        Assert.Contains($"/api/rounds/{Id}/position", notice.PlainText, StringComparison.Ordinal);
    }

    /// <summary>Settles the divergent items, approves the draft and checks the final position still holds every recorded reply.</summary>
    public async Task ApproveAndCheckFinalAsync()
    {
        await Host.SettleDivergentItemsAsync(Id);
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{Id}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(Id, "Final", PhaseTimeout);
        Mark("final");
        var final = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{Id}/position"))!;
        Assert.Equal("Final", final["status"]!.GetValue<string>());
        AssertEveryRecordedReplyIn(final);
    }

    bool HoldsEveryRecordedReply(JsonObject position)
    {
        try
        {
            AssertEveryRecordedReplyIn(position);
            return true;
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    void AssertEveryRecordedReplyIn(JsonObject position)
    {
        var budget = position["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        var stances = budget["stances"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(Areas.Order(StringComparer.Ordinal), stances.Select(s => s["participant"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var (participant, reply) in recorded)
        {
            var stance = stances.Single(s => s["participant"]!.GetValue<string>() == participant);
            Assert.Equal(reply.Stance, stance["stance"]!.GetValue<string>());
            Assert.Equal(reply.Remarks, stance["remarks"]?.GetValue<string>());
        }

        Assert.Equal(Areas.Length, recorded.Count);
        Assert.Empty(budget["missing"]!.AsArray());
    }

    /// <summary>
    /// No e-mail arrived twice; each participant got one request; each participant's latest stored reply got its
    /// receipt (versions sent while a receipt was on its way share one, for the latest), and no receipt is for a
    /// version that was never stored.
    /// </summary>
    public async Task AssertNoEmailTwiceAndEveryReceiptAsync()
    {
        await MailFolderWatcher.SettleAsync();
        Assert.Empty(Watcher.Errors);
        Assert.Empty(Watcher.Duplicates());
        Assert.Equal(Areas.Order(StringComparer.Ordinal), Host.MailFolder.For(Id).Select(m => m.ParticipantId).Order(StringComparer.Ordinal));

        var stored = await StoredVersionsAsync();
        Assert.All(recordedVersions, recorded => Assert.Subset(stored[recorded.Key], recorded.Value.ToHashSet()));
        var receipts = await WaitForReceiptsAsync(stored);
        foreach (var participant in Areas)
        {
            Assert.Subset(stored[participant], receipts.Where(r => r.ParticipantId == participant).Select(r => r.MessageNumber).ToHashSet());
        }
    }

    /// <summary>Receipts go out in their own activities, possibly after the position: wait until each latest stored reply has one.</summary>
    async Task<IReadOnlyList<MailFolderMessage>> WaitForReceiptsAsync(Dictionary<string, HashSet<int>> stored)
    {
        var latest = stored.Where(p => p.Value.Count > 0).Select(p => (Participant: p.Key, Version: p.Value.Max())).ToList();
        bool HasReceipt(IReadOnlyList<MailFolderMessage> receipts, (string Participant, int Version) reply) =>
            receipts.Any(m => m.ParticipantId == reply.Participant && m.MessageNumber == reply.Version);
        try
        {
            var receipts = await Host.MailFolder.WaitUntilAsync(
                Id, "Receipt", sent => latest.All(reply => HasReceipt(sent, reply)), "a receipt for each latest stored reply", PhaseTimeout);
            Mark($"{receipts.Count} receipt(s), none twice");
            return receipts;
        }
        catch (TimeoutException)
        {
            var missing = latest.Where(reply => !HasReceipt(Host.MailFolder.For(Id, "Receipt"), reply));
            throw new TimeoutException($"No receipt for {string.Join(", ", missing)}\n{Host.AllOutput}");
        }
    }

    /// <summary>Every contribution version stored per participant, straight from the round's partition.</summary>
    public async Task<Dictionary<string, HashSet<int>>> StoredVersionsAsync()
    {
        var stored = Areas.ToDictionary(a => a, _ => new HashSet<int>(), StringComparer.Ordinal);
        await foreach (var row in Storage.Tables.GetTableClient("Rounds").QueryAsync<TableEntity>(e => e.PartitionKey == Id))
        {
            if (row.RowKey.StartsWith("contribution|", StringComparison.Ordinal))
            {
                stored[row.GetString("Participant")].Add(row.GetInt32("Version")!.Value);
            }
        }

        return stored;
    }
}
