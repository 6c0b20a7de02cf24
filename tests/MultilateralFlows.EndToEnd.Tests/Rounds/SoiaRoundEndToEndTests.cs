using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>One SOIA round through a host on Azurite: start, e-mails in the mail folder, replies through the links, position.</summary>
public abstract class SoiaRoundEndToEndTests(HostKind kind) : HostTest(kind)
{
    [SkippableFact]
    public async Task Round_AllReplyThroughTheirLinks_ApprovalRefusedUntilTheDivergentItemIsSettled_FinalPositionHasTheSettledTextEveryStanceAndRowsAreStored()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "culture-youth-media", "economy-science-innovation"));

        var requests = await Host.MailFolder.WaitForAsync(roundId, 3);
        Assert.Equal(["culture-youth-media", "economy-science-innovation", "education"], requests.Select(m => m.ParticipantId).Order());
        Assert.All(requests, m => Assert.StartsWith($"{Host.BaseUrl}/api/reply/", m.ReplyLink));
        Assert.Contains("soia.education@vlaanderen.example", requests.Single(m => m.ParticipantId == "education").To);
        Assert.Equal(CurrentOrchestrationVersion, await OrchestrationVersionAsync(roundId));

        string Link(string participant) => requests.Single(m => m.ParticipantId == participant).ReplyLink;
        using (var form = await RoundApi.ReplyFormAsync(Link("education"), ("5.I", "Objection", "Budget cuts hit <b>education</b> hardest."), ("12", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            Assert.Contains("uw antwoord is geregistreerd", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var json = await RoundApi.ReplyJsonAsync(Link("culture-youth-media"), ("5.I", "AgreeWithRemarks", "Keep heritage funding."), ("12", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        }

        using (await RoundApi.ReplyJsonAsync(Link("economy-science-innovation"), ("5.I", "Agree", null), ("12", "NotCompetent", null)))
        {
        }

        var status = await Host.WaitForPhaseAsync(roundId, "Reviewing");
        Assert.All(status["participants"]!.AsArray(), p => Assert.Equal("Replied", p!["state"]!.GetValue<string>()));

        var position = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position?format=json"))!;
        Assert.Equal(roundId, position["roundId"]!.GetValue<string>());
        var budget = position["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        Assert.Equal("Divergence", budget["outcome"]!.GetValue<string>());
        var education = budget["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == "education")!;
        Assert.Equal("Objection", education["stance"]!.GetValue<string>());
        Assert.Equal("Budget cuts hit <b>education</b> hardest.", education["remarks"]!.GetValue<string>());
        Assert.Empty(budget["missing"]!.AsArray());

        var markdown = await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position?format=md");
        Assert.Contains("Divergence", markdown, StringComparison.Ordinal);

        // Each participant got a receipt; the coordinator was told the draft is ready, with a link to it.
        Assert.Equal(3, (await Host.MailFolder.WaitForAsync(roundId, 3, "Receipt")).Count);
        var notice = (await Host.MailFolder.WaitForAsync(roundId, 1, "CoordinatorNotice")).Single();
        Assert.Equal(["coordinator@vlaanderen.example"], notice.To);
        Assert.Contains($"{Host.BaseUrl}/api/rounds/{roundId}/position?format=html", notice.PlainText, StringComparison.Ordinal);

        // The budget diverges: the approval is refused, naming it, and replies stay open.
        using (var refused = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Item(s) 5.I of draft version 1 diverge and are not settled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.True((await Host.StatusAsync(roundId))["acceptingReplies"]!.GetValue<bool>());

        // The coordinator settles it with a compromise text: a new draft shows it, then the approval is accepted.
        const string Compromise = "Flanders accepts zero real growth provided SDG 4 and the heritage programmes are protected.";
        var settled = await Host.SettleAsync(roundId, "5.I", new { how = "Compromise", text = Compromise, comments = "Agreed at the SOIA meeting.", version = 1 });
        Assert.Equal(2, settled["version"]!.GetValue<int>());
        var settledItems = (await Host.StatusAsync(roundId))["items"]!.AsArray();
        Assert.Equal("Compromise", settledItems.Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!["settled"]!.GetValue<string>());
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve", version = 2 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        // The final version is stored, with the settled text next to the stances, and every reply link is closed.
        await Host.WaitForPhaseAsync(roundId, "Final");
        var final = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position"))!;
        Assert.Equal("Final", final["status"]!.GetValue<string>());
        Assert.Equal(3, final["version"]!.GetValue<int>());
        var finalBudget = final["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        Assert.Equal("Divergence", finalBudget["outcome"]!.GetValue<string>());
        Assert.Equal("Compromise", finalBudget["settlement"]!["how"]!.GetValue<string>());
        Assert.Equal(Compromise, finalBudget["settlement"]!["text"]!.GetValue<string>());
        var finalMarkdown = await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position?format=md");
        Assert.Contains("Settled by the compromise text below", finalMarkdown, StringComparison.Ordinal);
        Assert.Contains("SDG 4 and the heritage programmes are protected.", finalMarkdown, StringComparison.Ordinal);
        Assert.Contains(Compromise, await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position?format=html"), StringComparison.Ordinal);
        var trail = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/audit"))!["entries"]!.AsArray();
        Assert.Contains(trail, e => e!["action"]!.GetValue<string>() == "ItemSettled"
            && e["detail"]!.GetValue<string>().Contains("Agreed at the SOIA meeting.", StringComparison.Ordinal));
        using (var late = await RoundApi.ReplyJsonAsync(Link("education"), ("5.I", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        }

        // The stored rows: one request per participant (token hash only), one contribution row per item and reply.
        var rows = new List<TableEntity>();
        await foreach (var row in Storage.Tables.GetTableClient("Rounds").QueryAsync<TableEntity>(e => e.PartitionKey == roundId))
        {
            rows.Add(row);
        }

        var requestRows = rows.Where(r => r.RowKey.StartsWith("request|", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, requestRows.Count);
        Assert.All(requestRows, r =>
        {
            Assert.Matches("^[0-9a-f]{64}$", r.GetString("TokenHash"));
            Assert.True(r.GetBoolean("Closed"));
        });
        var tokens = requests.Select(m => m.ReplyLink[(m.ReplyLink.LastIndexOf('/') + 1)..]).ToHashSet();
        Assert.DoesNotContain(rows, r => r.Any(property => property.Value is string value && tokens.Contains(value)));
        Assert.Equal(6, rows.Count(r => r.RowKey.StartsWith("contribution|", StringComparison.Ordinal)));

        var blobs = new List<string>();
        await foreach (var blob in Storage.Blobs.GetBlobContainerClient("positions").GetBlobsAsync(BlobTraits.None, BlobStates.None, roundId, CancellationToken.None))
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal(
            [$"{roundId}/v001/position.html", $"{roundId}/v001/position.json", $"{roundId}/v001/position.md",
             $"{roundId}/v002/position.html", $"{roundId}/v002/position.json", $"{roundId}/v002/position.md",
             $"{roundId}/v003/position.html", $"{roundId}/v003/position.json", $"{roundId}/v003/position.md"],
            blobs.Order());
        Assert.Single(rows, r => r.RowKey.StartsWith("settlement|", StringComparison.Ordinal));
    }

    public sealed class OnLocalHost() : SoiaRoundEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : SoiaRoundEndToEndTests(HostKind.Functions);
}
