using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>
/// Review on the real engine: the coordinator reopens the divergent item, the same participants answer it through the
/// same links (their earlier answer shown), and the approved final position settles every item.
/// </summary>
public abstract class ReopenRoundEndToEndTests(HostKind kind) : HostTest(kind)
{
    [SkippableFact]
    public async Task Round_ReopenedOnTheDivergentItem_SecondIterationSettlesItAndTheFinalPositionHasEveryItem()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        var requests = await Host.MailFolder.WaitForAsync(roundId, 2);
        string Link(string participant) => requests.Single(m => m.ParticipantId == participant).ReplyLink;

        await RoundApi.ReplyOkAsync(Link("education"), ("5.I", "Objection", "Cuts SDG 4."), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(Link("environment"), ("5.I", "Agree", null), ("12", "Agree", null));
        await Host.WaitForPhaseAsync(roundId, "Reviewing");

        using (var reopen = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "reopen", comments = "Please converge.", deadline = DateTimeOffset.UtcNow.AddDays(3) }))
        {
            Assert.Equal(HttpStatusCode.Accepted, reopen.StatusCode);
        }

        var second = await Host.WaitForPhaseAsync(roundId, "Collecting");
        Assert.Equal(2, second["iteration"]!.GetValue<int>());
        Assert.Equal([true, false], second["items"]!.AsArray().Select(i => i!["open"]!.GetValue<bool>()));

        // The same link again, with a new request e-mail; the form offers only the reopened item, with the earlier answer.
        var again = await Host.MailFolder.WaitForAsync(roundId, 4);
        // The second iteration, a new execution of the orchestration, is on the current version too.
        Assert.Equal(CurrentOrchestrationVersion, await OrchestrationVersionAsync(roundId));
        Assert.Equal(Link("education"), again.Single(m => m.ParticipantId == "education" && m.FileName.EndsWith(".Request.2.json", StringComparison.Ordinal)).ReplyLink);
        using var http = new HttpClient();
        var form = await http.GetStringAsync(Link("education"));
        Assert.Contains("Ronde 2", form, StringComparison.Ordinal);
        Assert.Contains("name=\"stance.5.I\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"stance.12\"", form, StringComparison.Ordinal);
        Assert.Contains("Cuts SDG 4.", form, StringComparison.Ordinal);

        using (var closedItem = await RoundApi.ReplyJsonAsync(Link("education"), ("12", "Objection", "Too late to change this.")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, closedItem.StatusCode);
        }

        await RoundApi.ReplyOkAsync(Link("education"), ("5.I", "AgreeWithRemarks", "Accept, provided SDG 4 is protected."));
        await RoundApi.ReplyOkAsync(Link("environment"), ("5.I", "Agree", null));
        await Host.WaitForPhaseAsync(roundId, "Reviewing");

        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(roundId, "Final");
        var position = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position"))!;
        Assert.Equal("Final", position["status"]!.GetValue<string>());
        Assert.All(position["items"]!.AsArray(), item => Assert.Equal("Consensus", item!["outcome"]!.GetValue<string>()));
        var education = position["items"]![0]!["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == "education")!;
        Assert.Equal("AgreeWithRemarks", education["stance"]!.GetValue<string>());
        Assert.Equal(3, position["version"]!.GetValue<int>());

        var audit = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/audit"))!["entries"]!.AsArray()
            .Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("RoundReopened", audit);
        Assert.Contains("PositionApproved", audit);
    }

    public sealed class OnLocalHost() : ReopenRoundEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : ReopenRoundEndToEndTests(HostKind.Functions);
}
