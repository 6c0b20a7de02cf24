using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>
/// A COORMULTI round naming three Flemish policy areas: Flanders first agrees its position in a linked SOIA round, whose
/// coordinator settles what the areas diverge on; the approved position becomes Flanders' reply in the COORMULTI round
/// (Flanders' stance and text, not the areas' answers), next to the other entities' replies.
/// </summary>
public abstract class CoormultiRoundEndToEndTests(HostKind kind) : HostTest(kind)
{
    [SkippableFact]
    public async Task Round_ThreeFlemishAreas_SoiaCoordinatorSettlesTheDivergentItemAndFlandersSettledPositionIsItsReplyWithoutTheAreasAnswers()
    {
        var request = RoundRequests.Soia()
            .With("procedure", "COORMULTI")
            .With("title", "OECD Education Policy Committee: Belgian comments on the draft report")
            .With("organisation", "OECD")
            .With("kind", "Report")
            .With("participants", new JsonArray("federal", "flanders", "french-community"))
            .With("flemishPolicyAreas", new JsonArray("education", "work-social-economy", "economy-science-innovation"));
        var parentId = await Host.StartAsync(request);

        // The entities are asked by e-mail; Flanders is not: its areas are asked in the linked SOIA round.
        var entityRequests = await Host.MailFolder.WaitForAsync(parentId, 2);
        Assert.Equal(["federal", "french-community"], entityRequests.Select(m => m.ParticipantId).Order());
        var status = await Host.StatusAsync(parentId);
        var linked = status["linkedRounds"]!.AsArray().Single()!;
        var childId = linked["id"]!.GetValue<string>();
        Assert.Equal("SOIA", linked["procedure"]!.GetValue<string>());
        Assert.Equal(childId, status["participants"]!.AsArray().Single(p => p!["code"]!.GetValue<string>() == "flanders")!["linkedRoundId"]!.GetValue<string>());

        var childStatus = await Host.StatusAsync(childId);
        Assert.Equal(parentId, childStatus["parentRoundId"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(childStatus["deadline"]!.GetValue<string>()) < DateTimeOffset.Parse(status["deadline"]!.GetValue<string>()));
        var areaRequests = await Host.MailFolder.WaitForAsync(childId, 3);
        Assert.Equal(CurrentOrchestrationVersion, await OrchestrationVersionAsync(parentId));
        Assert.Equal(CurrentOrchestrationVersion, await OrchestrationVersionAsync(childId));

        string Link(IEnumerable<MailFolderMessage> messages, string participant) => messages.Single(m => m.ParticipantId == participant).ReplyLink;
        // One area writes a line that reads like another area's words: it must not reach COORMULTI as Flanders' words.
        const string EducationRemarks = "Keep SDG 4 whole.\nEconomy, Science and Innovation (economy-science-innovation): Flanders objects to everything.";
        await RoundApi.ReplyOkAsync(Link(areaRequests, "education"), ("5.I", "AgreeWithRemarks", EducationRemarks), ("12", "AgreeWithRemarks", "Mention neuro-rights."));
        await RoundApi.ReplyOkAsync(Link(areaRequests, "work-social-economy"), ("5.I", "Objection", "Dual learning is missing."), ("12", "NotCompetent", null));
        await RoundApi.ReplyOkAsync(Link(areaRequests, "economy-science-innovation"), ("5.I", "Agree", null), ("12", "Agree", null));
        await Host.WaitForPhaseAsync(childId, "Reviewing");

        // The SOIA coordinator cannot approve while the Flemish areas diverge on the budget; they settle it with Flanders' text.
        using (var refused = await Host.Client.PostAsJsonAsync($"/api/rounds/{childId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("5.I", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        const string FlemishText = "Flanders supports the draft budget provided SDG 4 and dual learning keep their allocations.";
        await Host.SettleAsync(childId, "5.I", new { how = "Compromise", text = FlemishText });
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{childId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(childId, "Final");

        await RoundApi.ReplyOkAsync(Link(entityRequests, "federal"), ("5.I", "Agree", null), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(Link(entityRequests, "french-community"), ("5.I", "AgreeWithRemarks", "Mention the Pacte pour un enseignement d'excellence."), ("12", "Agree", null));
        await Host.WaitForPhaseAsync(parentId, "Reviewing");

        // What reaches COORMULTI is Flanders' position: its stance and its settled text, without the areas' answers.
        var position = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{parentId}/position"))!;
        Assert.Equal("COORMULTI", position["procedure"]!.GetValue<string>());
        var budget = position["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        Assert.Equal("Consensus", budget["outcome"]!.GetValue<string>());
        var flanders = budget["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == "flanders")!;
        Assert.Equal("AgreeWithRemarks", flanders["stance"]!.GetValue<string>());
        Assert.Equal(FlemishText, flanders["remarks"]!.GetValue<string>());
        Assert.Null(flanders["contributors"]);
        var neuro = position["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "12")!;
        Assert.Equal("Consensus", neuro["outcome"]!.GetValue<string>());
        var flandersOnNeuro = neuro["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == "flanders")!;
        Assert.Equal("AgreeWithRemarks", flandersOnNeuro["stance"]!.GetValue<string>());
        Assert.Contains($"SOIA round {childId}", flandersOnNeuro["remarks"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(flandersOnNeuro["contributors"]);
        Assert.Empty(budget["missing"]!.AsArray());
        var markdown = await Host.Client.GetStringAsync($"/api/rounds/{parentId}/position?format=md");
        Assert.DoesNotContain("↳", markdown, StringComparison.Ordinal);
        foreach (var areaWords in new[] { "Dual learning is missing", "Flanders objects to everything", "neuro-rights", "(`education`)" })
        {
            Assert.DoesNotContain(areaWords, markdown, StringComparison.Ordinal);
        }

        // The raw area answers stay visible in the SOIA round.
        var soia = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{childId}/position"))!;
        var soiaBudget = soia["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        Assert.Equal(EducationRemarks, soiaBudget["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == "education")!["remarks"]!.GetValue<string>());
        var audit = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{childId}/audit"))!;
        Assert.Contains(audit["entries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "SubmittedToParentRound");

        // Nothing diverges in COORMULTI: the Belgian position is approved as it stands.
        using (var approveParent = await Host.Client.PostAsJsonAsync($"/api/rounds/{parentId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approveParent.StatusCode);
        }

        await Host.WaitForPhaseAsync(parentId, "Final");
    }

    public sealed class OnLocalHost() : CoormultiRoundEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : CoormultiRoundEndToEndTests(HostKind.Functions);
}
