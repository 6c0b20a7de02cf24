using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Reliability;

/// <summary>
/// Events that come twice, too late, or for a round that cannot take them: each has one outcome, decided by the data
/// (the request row's ETag, the round's phase) rather than by timing, and the sender is told which.
/// </summary>
public abstract class DuplicateAndLateEventTests(HostKind kind, ITestOutputHelper output) : HostTest(kind)
{
    [SkippableFact]
    public async Task Reply_SentTwentyFiveTimesAtOnce_EachRecordedWithItsOwnVersionOrRefusedUnstoredAndOneReceiptForTheLatest()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        var links = await LinksAsync(roundId, 2);
        using var watcher = new MailFolderWatcher(Host.MailFolderPath);

        // A client retrying in a loop, or many clicks: 25 submissions race for the same participant's request row.
        var submissions = Enumerable.Range(0, 25)
            .Select(_ => RoundApi.ReplyJsonAsync(links["education"], ("5.I", "Objection", "Not at this cost."), ("12", "Agree", null)))
            .ToList();
        var recorded = new List<int>();
        var refused = 0;
        foreach (var submission in submissions)
        {
            using var response = await submission;
            var body = await response.Content.ReadAsStringAsync();
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    recorded.Add(JsonNode.Parse(body)!["version"]!.GetValue<int>());
                    break;
                case HttpStatusCode.Conflict:
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.Contains("send it again", body, StringComparison.Ordinal);
                    refused++;
                    break;
                default:
                    Assert.Fail($"{(int)response.StatusCode} {body}");
                    break;
            }
        }

        output.WriteLine($"{recorded.Count} recorded, {refused} told to send again.");

        // No lost update and no version given twice: the recorded ones are versions 1..n, exactly those stored.
        Assert.Equal(Enumerable.Range(1, recorded.Count), recorded.Order());
        Assert.Equal(Enumerable.Range(1, recorded.Count), await StoredVersionsAsync(roundId, "education"));

        using (var other = await RoundApi.ReplyJsonAsync(links["environment"], ("5.I", "Agree", null), ("12", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        await Host.WaitForPhaseAsync(roundId, "Reviewing");
        var position = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position"))!;
        var budget = position["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        var education = Assert.Single(budget["stances"]!.AsArray(), s => s!["participant"]!.GetValue<string>() == "education")!;
        Assert.Equal("Objection", education["stance"]!.GetValue<string>());

        // The latest version got a receipt; versions sent while one was on its way share it; none twice.
        var receipts = await Host.MailFolder.WaitUntilAsync(
            roundId,
            "Receipt",
            sent => sent.Any(r => r is { ParticipantId: "education" } && r.MessageNumber == recorded.Max()) && sent.Any(r => r.ParticipantId == "environment"),
            $"receipts for environment and for education's version {recorded.Max()}");
        Assert.Subset(recorded.ToHashSet(), receipts.Where(r => r.ParticipantId == "education").Select(r => r.MessageNumber).ToHashSet());
        output.WriteLine($"{receipts.Count(r => r.ParticipantId == "education")} receipt(s) for education's {recorded.Count} version(s).");
        await MailFolderWatcher.SettleAsync();
        Assert.Empty(watcher.Duplicates());
    }

    [SkippableFact]
    public async Task Reply_RacingTheDeadline_EveryAcceptedReplyIsInThePositionAndNoRefusedOneIsStored()
    {
        // The shortest deadline the API accepts is a minute away; one participant stays silent so the round waits for it.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(70);
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "environment", "culture-youth-media", "welfare-health")
            .With("deadline", deadline.ToString("yyyy-MM-ddTHH:mm:ssZ")));
        var links = await LinksAsync(roundId, 4);
        string[] repliers = ["education", "environment", "culture-youth-media"];

        // From just before the deadline, the three send and amend replies one after another until the round refuses;
        // then each tries once more. Every attempt is answered either "recorded, version n" or "closed".
        await Task.Delay(deadline - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(3));
        var accepted = new Dictionary<string, (int Version, string Remarks)>(StringComparer.Ordinal);
        var acceptedVersions = repliers.ToDictionary(p => p, _ => new List<int>(), StringComparer.Ordinal);
        var refused = new List<string>();
        var closedAt = -1;
        var firstRefusal = DateTimeOffset.MinValue;
        for (var attempt = 0; closedAt < 0 || attempt <= closedAt + repliers.Length; attempt++)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline.AddMinutes(3), $"The round never closed.\n{Host.Output}");
            var participant = repliers[attempt % repliers.Length];
            var remarks = $"{participant}, attempt {attempt}";
            using var response = await RoundApi.ReplyJsonAsync(links[participant], ("5.I", "AgreeWithRemarks", remarks), ("12", "Agree", null));
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    Assert.True(closedAt < 0, $"Attempt {attempt} was accepted after attempt {closedAt} was refused.");
                    var version = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"]!.GetValue<int>();
                    accepted[participant] = (version, remarks);
                    acceptedVersions[participant].Add(version);
                    break;
                case HttpStatusCode.Gone:
                    Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
                    if (closedAt < 0)
                    {
                        closedAt = attempt;
                        firstRefusal = DateTimeOffset.UtcNow;
                    }

                    refused.Add(remarks);
                    break;
                default:
                    Assert.Fail($"Attempt {attempt}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    break;
            }

            await Task.Delay(200);
        }

        output.WriteLine($"{acceptedVersions.Values.Sum(v => v.Count)} replies accepted, {refused.Count} refused; the first refusal came {(firstRefusal - deadline).TotalSeconds:F1} s after the deadline.");

        // What was accepted is stored, and nothing else.
        foreach (var participant in repliers)
        {
            Assert.Equal(acceptedVersions[participant], await StoredVersionsAsync(roundId, participant));
        }

        await Host.WaitForPhaseAsync(roundId, "Reviewing");
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(roundId, "Final");
        var final = await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position");
        var budget = JsonNode.Parse(final)!["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        foreach (var participant in repliers)
        {
            var stance = budget["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == participant)!;
            if (accepted.TryGetValue(participant, out var last))
            {
                Assert.Equal(last.Remarks, stance["remarks"]!.GetValue<string>());
            }
            else
            {
                Assert.Equal("NoReply", stance["stance"]!.GetValue<string>());
            }
        }

        Assert.Contains("welfare-health", budget["missing"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.All(refused, remarks => Assert.DoesNotContain(remarks, final, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Reply_ToAFinalRound_410WithTheClosedPageOrProblemAndNothingStored()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education"));
        var link = (await LinksAsync(roundId, 1))["education"];
        using (var reply = await RoundApi.ReplyJsonAsync(link, ("5.I", "Agree", null), ("12", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        await Host.WaitForPhaseAsync(roundId, "Reviewing");
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(roundId, "Final");
        await AssertClosedAsync(roundId, link);
    }

    [SkippableFact]
    public async Task Reply_ToACancelledRound_410WithTheClosedPageOrProblemAndNothingStored()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        var link = (await LinksAsync(roundId, 2))["education"];
        using (var cancel = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/cancel", new { reason = "The meeting was postponed." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        await Host.WaitForPhaseAsync(roundId, "Cancelled");
        await AssertClosedAsync(roundId, link);

        // The coordinator acting on it again is told it is over, and nothing is handed to the finished round.
        foreach (var (action, body) in new (string, object?)[] { ("cancel", null), ("review", new { decision = "approve" }), ("deadline", new { deadline = DateTimeOffset.UtcNow.AddDays(3) }), ("reminders", null) })
        {
            using var response = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/{action}", body);
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [SkippableFact]
    public async Task StartRound_SentFiveTimesAtOnceWithOneIdempotencyKey_OneRoundAndOneRequestPerParticipant()
    {
        var organisation = $"Retried {Guid.NewGuid():N}"[..30];
        var body = RoundRequests.Soia("education", "environment").With("organisation", organisation).ToJsonString();
        var key = Guid.NewGuid().ToString();

        async Task<(HttpStatusCode Status, string? Id)> StartAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rounds") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await Host.Client.SendAsync(request);
            var answer = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            return (response.StatusCode, answer?["id"]?.GetValue<string>());
        }

        // Those that meet the first while it is being handled are told to send it again: they do, until it is started.
        async Task<(HttpStatusCode Status, string? Id)> RetryWhileInProgressAsync((HttpStatusCode Status, string? Id) answer)
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (answer.Status == HttpStatusCode.Conflict && DateTime.UtcNow < until)
            {
                await Task.Delay(500);
                answer = await StartAsync();
            }

            return answer;
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => StartAsync()));
        var settled = await Task.WhenAll(answers.Select(RetryWhileInProgressAsync));

        output.WriteLine(string.Join(", ", answers.Select(a => (int)a.Status)));
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{(int)a.Status}"));
        Assert.All(settled, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        var roundId = Assert.Single(settled.Select(a => a.Id).Distinct());
        var listed = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds?organisation={Uri.EscapeDataString(organisation)}"))!;
        Assert.Single(listed["rounds"]!.AsArray());
        await Host.MailFolder.WaitForAsync(roundId!, 2);
        await MailFolderWatcher.SettleAsync();
        Assert.Equal(2, Host.MailFolder.Messages().Count(m => m.RoundId == roundId));
    }

    /// <summary>
    /// The coordinator approves the draft as a participant amends: never both accepted. An accepted approval makes final
    /// exactly the draft reviewed (the amendment is refused as closed); an accepted amendment makes the approval 409.
    /// </summary>
    [SkippableFact]
    public async Task Approve_RacingAnAmendment_NeverBothAcceptedAndTheFinalIsTheDraftReviewed()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        var links = await LinksAsync(roundId, 2);
        await RoundApi.ReplyOkAsync(links["education"], ("5.I", "Agree", null), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(links["environment"], ("5.I", "Agree", null), ("12", "Agree", null));
        var reviewed = (await Host.WaitForPhaseAsync(roundId, "Reviewing"))["positionVersion"]!.GetValue<int>();

        var approving = Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve", version = reviewed });
        var amending = RoundApi.ReplyJsonAsync(links["education"], ("5.I", "Objection", "On second thought, no."));
        using var approval = await approving;
        using var amendment = await amending;

        output.WriteLine($"approval {(int)approval.StatusCode}, amendment {(int)amendment.StatusCode}");
        if (approval.StatusCode == HttpStatusCode.Accepted)
        {
            Assert.Equal(HttpStatusCode.Gone, amendment.StatusCode);
            await Host.WaitForPhaseAsync(roundId, "Final");
            var final = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position"))!;
            var budget = final["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
            Assert.Equal("Consensus", budget["outcome"]!.GetValue<string>());
        }
        else
        {
            Assert.Equal(HttpStatusCode.Conflict, approval.StatusCode);
            Assert.Equal(HttpStatusCode.OK, amendment.StatusCode);
        }
    }

    [SkippableFact]
    public async Task Action_ForARoundThatDoesNotExist_404AndNothingStarted()
    {
        const string unknown = "0123456789abcdef0123456789abcdef";
        foreach (var (action, body) in new (string, object?)[] { ("cancel", null), ("review", new { decision = "approve" }), ("deadline", new { deadline = DateTimeOffset.UtcNow.AddDays(3) }), ("reminders", null) })
        {
            using var response = await Host.Client.PostAsJsonAsync($"/api/rounds/{unknown}/{action}", body);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains(unknown, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.False(await Storage.Tables.GetTableClient("Rounds").QueryAsync<TableEntity>(e => e.PartitionKey == unknown).AnyAsync());
        Assert.False(await Storage.Tables.GetTableClient($"{Host.TaskHub}Instances").QueryAsync<TableEntity>(e => e.PartitionKey == unknown).AnyAsync());
    }

    [SkippableFact]
    public async Task Action_ForARoundWhoseWorkflowNeverStarted_409AndNothingRecorded()
    {
        // What a host stopped between storing a round and starting its workflow leaves behind: the rows, no instance.
        var id = Guid.NewGuid().ToString("N");
        var rounds = Storage.Tables.GetTableClient("Rounds");
        await rounds.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        await rounds.AddEntityAsync(new TableEntity(id, "round")
        {
            ["Procedure"] = "SOIA", ["Title"] = "Stored, never started", ["Organisation"] = "UNESCO", ["Kind"] = "Report",
            ["Deadline"] = now.AddDays(5), ["SilenceProcedure"] = false, ["CoordinatorEmail"] = "coordinator@vlaanderen.example",
            ["Participants"] = "[\"education\"]", ["FlemishPolicyAreas"] = "[]", ["ItemCount"] = 1, ["CreatedAt"] = now,
            ["Phase"] = "Collecting", ["PositionVersion"] = 0, ["Iteration"] = 1, ["OpenItems"] = "", ["IndexKey"] = id,
        });
        await rounds.AddEntityAsync(new TableEntity(id, "item|000") { ["Index"] = 0, ["ItemId"] = "1", ["Title"] = "Budget", ["Text"] = "Draft." });

        foreach (var (action, body) in new (string, object?)[] { ("cancel", new { reason = "x" }), ("deadline", new { deadline = DateTimeOffset.UtcNow.AddDays(3) }) })
        {
            using var response = await Host.Client.PostAsJsonAsync($"/api/rounds/{id}/{action}", body);
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Contains("not running", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.False(await rounds.QueryAsync<TableEntity>(e => e.PartitionKey == id && e.RowKey.CompareTo("audit|") >= 0 && e.RowKey.CompareTo("audit}") < 0).AnyAsync());
    }

    /// <summary>A closed round: the form answers with the closed page, a reply (JSON or form) with 410, and nothing is stored.</summary>
    async Task AssertClosedAsync(string roundId, string link)
    {
        var before = await StoredVersionsAsync(roundId, "education");
        using var client = new HttpClient();
        using (var page = await client.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            Assert.Contains("Deze consultatieronde is afgesloten", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var json = await RoundApi.ReplyJsonAsync(link, ("5.I", "Objection", "Too late?"), ("12", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.Gone, json.StatusCode);
            Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        }

        using (var form = await RoundApi.ReplyFormAsync(link, ("5.I", "Objection", "Too late?"), ("12", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.Gone, form.StatusCode);
            Assert.Contains("Deze consultatieronde is afgesloten", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await StoredVersionsAsync(roundId, "education"));
    }

    async Task<Dictionary<string, string>> LinksAsync(string roundId, int count) =>
        (await Host.MailFolder.WaitForAsync(roundId, count)).ToDictionary(m => m.ParticipantId, m => m.ReplyLink, StringComparer.Ordinal);

    async Task<List<int>> StoredVersionsAsync(string roundId, string participant)
    {
        var versions = new SortedSet<int>();
        await foreach (var row in Storage.Tables.GetTableClient("Rounds").QueryAsync<TableEntity>(e => e.PartitionKey == roundId))
        {
            if (row.RowKey.StartsWith($"contribution|{participant}|", StringComparison.Ordinal))
            {
                versions.Add(row.GetInt32("Version")!.Value);
            }
        }

        return [.. versions];
    }

    public sealed class OnLocalHost(ITestOutputHelper output) : DuplicateAndLateEventTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : DuplicateAndLateEventTests(HostKind.Functions, output);
}
