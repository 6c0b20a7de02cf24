using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>
/// A COORMULTI round naming three Flemish policy areas: Flanders first agrees its position in a linked SOIA round, whose
/// coordinator settles what the areas diverge on; the approved position becomes Flanders' reply in the COORMULTI round
/// (Flanders' stance and text, not the areas' answers), next to the other entities' replies. The linked round is
/// Flanders' own: its coordinator is the Flemish coordination (the directory's <c>flanders</c> address, or the request's
/// <c>soiaCoordinatorEmail</c>), who alone gets its notices, reviews and approves it.
/// </summary>
public abstract class CoormultiRoundEndToEndTests(HostKind kind) : HostTest(kind)
{
    const string FederalCoordinator = "coordinator@vlaanderen.example";
    const string FlemishCoordination = "multilateraal@vlaanderen.example";

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
        Assert.Equal(FlemishCoordination, childStatus["coordinatorEmail"]!.GetValue<string>());
        Assert.Equal(FederalCoordinator, status["coordinatorEmail"]!.GetValue<string>());
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
        // The SOIA round's notices go to the Flemish coordination only; the federal coordinator hears of the COORMULTI round.
        var childNotices = await Host.MailFolder.WaitForAsync(childId, 2, "CoordinatorNotice");
        Assert.Equal(["PositionFinal", "PositionReady"], childNotices.Select(n => n.Notice).Order());
        Assert.All(childNotices, n => Assert.Equal([FlemishCoordination], n.To));
        Assert.All(childNotices, n => Assert.Equal("coordinator", n.ParticipantId));

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
        var parentNotices = await Host.MailFolder.WaitForAsync(parentId, 1, "CoordinatorNotice");
        Assert.All(parentNotices, n => Assert.Equal([FederalCoordinator], n.To));

        // Nothing diverges in COORMULTI: the Belgian position is approved as it stands.
        using (var approveParent = await Host.Client.PostAsJsonAsync($"/api/rounds/{parentId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approveParent.StatusCode);
        }

        await Host.WaitForPhaseAsync(parentId, "Final");
    }

    /// <summary>
    /// The request names the SOIA coordinator: that address owns the linked round (its status, its notices, its approval
    /// in the audit), and the federal coordinator is sent none of it.
    /// </summary>
    [SkippableFact]
    public async Task Round_SoiaCoordinatorNamed_TheLinkedRoundIsOwnedAndApprovedByThatCoordinator()
    {
        const string SoiaDesk = "soia-desk@vlaanderen.example";
        var request = RoundRequests.Soia()
            .With("procedure", "COORMULTI")
            .With("participants", new JsonArray("federal", "flanders"))
            .With("flemishPolicyAreas", new JsonArray("education", "environment", "culture-youth-media"))
            .With("soiaCoordinatorEmail", SoiaDesk);
        var parentId = await Host.StartAsync(request);
        var federal = (await Host.MailFolder.WaitForAsync(parentId, 1)).Single();
        var status = await Host.StatusAsync(parentId);
        Assert.Equal(SoiaDesk, status["soiaCoordinatorEmail"]!.GetValue<string>());
        var childId = status["linkedRounds"]!.AsArray().Single()!["id"]!.GetValue<string>();
        Assert.Equal(SoiaDesk, (await Host.StatusAsync(childId))["coordinatorEmail"]!.GetValue<string>());

        var areaRequests = await Host.MailFolder.WaitForAsync(childId, 3);
        // Participants answer to their coordinator: the SOIA desk is the Reply-To of the areas' requests.
        Assert.All(areaRequests, m => Assert.Equal(SoiaDesk, m.Payload["reply_to"]?["email"]?.GetValue<string>()));
        foreach (var area in areaRequests)
        {
            await RoundApi.ReplyOkAsync(area.ReplyLink, ("5.I", "Agree", null), ("12", "Agree", null));
        }

        await Host.WaitForPhaseAsync(childId, "Reviewing");
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{childId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(childId, "Final");
        var childNotices = await Host.MailFolder.WaitForAsync(childId, 2, "CoordinatorNotice");
        Assert.All(childNotices, n => Assert.Equal([SoiaDesk], n.To));
        var audit = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{childId}/audit"))!["entries"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "ReviewRequested" && e["actor"]!.GetValue<string>() == $"coordinator (not named) for {SoiaDesk}");

        await RoundApi.ReplyOkAsync(federal.ReplyLink, ("5.I", "Agree", null), ("12", "Agree", null));
        await Host.WaitForPhaseAsync(parentId, "Reviewing");
        Assert.All(await Host.MailFolder.WaitForAsync(parentId, 1, "CoordinatorNotice"), n => Assert.Equal([FederalCoordinator], n.To));
        Assert.DoesNotContain(Host.MailFolder.Messages(), m => m.RoundId == childId && m.To.Contains(FederalCoordinator));
    }

    /// <summary>
    /// Flanders agrees too late: both coordinators are warned before the COORMULTI deadline, the COORMULTI round goes to
    /// review without Flanders, the SOIA position approved afterwards is held there and its coordinator told, and once
    /// accepted the next draft has Flanders' position.
    /// </summary>
    [SkippableFact]
    public async Task Round_SoiaApprovedAfterTheCoormultiDeadline_BothWarnedThenTheLateContributionAcceptedInReview()
    {
        var request = RoundRequests.Soia()
            .With("procedure", "COORMULTI")
            .With("participants", new JsonArray("federal", "flanders"))
            .With("flemishPolicyAreas", new JsonArray("education", "environment", "culture-youth-media"))
            .With("deadline", DateTimeOffset.UtcNow.AddSeconds(90).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        var parentId = await Host.StartAsync(request);
        var federal = (await Host.MailFolder.WaitForAsync(parentId, 1)).Single();
        var childId = (await Host.StatusAsync(parentId))["linkedRounds"]!.AsArray().Single()!["id"]!.GetValue<string>();
        var areaRequests = await Host.MailFolder.WaitForAsync(childId, 3);
        await RoundApi.ReplyOkAsync(
            areaRequests.Single(m => m.ParticipantId == "education").ReplyLink, ("5.I", "Objection", "Not without SDG 4."), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(federal.ReplyLink, ("5.I", "Agree", null), ("12", "Agree", null));

        // Halfway to the COORMULTI deadline (it is close), while the SOIA round still collects: both coordinators, once each.
        bool IsWarning(MailFolderMessage m) => m.Notice == "ParentDeadlineNear";
        var ownWarning = (await Host.MailFolder.WaitUntilAsync(childId, "CoordinatorNotice", n => n.Any(IsWarning), "the warning")).Single(IsWarning);
        var parentWarning = (await Host.MailFolder.WaitUntilAsync(parentId, "CoordinatorNotice", n => n.Any(IsWarning), "the warning")).Single(IsWarning);
        Assert.Equal([FlemishCoordination], ownWarning.To);
        Assert.Equal([FederalCoordinator], parentWarning.To);
        Assert.Equal("flanders", parentWarning.ParticipantId);

        // The COORMULTI deadline passes: its draft has no reply from Flanders.
        await Host.WaitForPhaseAsync(parentId, "Reviewing", TimeSpan.FromSeconds(150));
        var draft = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{parentId}/position"))!;
        Assert.Equal(1, draft["version"]!.GetValue<int>());
        Assert.Contains("flanders", draft["items"]![0]!["missing"]!.AsArray().Select(m => m!.GetValue<string>()));

        await Host.WaitForPhaseAsync(childId, "Reviewing");
        // Education objects alone: the SOIA coordinator lets it lead for Flanders on the budget, then approves.
        await Host.SettleAsync(childId, "5.I", new { how = "LeadEntity", leadEntity = "education" });
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{childId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(childId, "Final");
        bool IsLate(MailFolderMessage m) => m.Notice == "LateContribution";
        var late = (await Host.MailFolder.WaitUntilAsync(parentId, "CoordinatorNotice", n => n.Any(IsLate), "the late-contribution notice")).Single(IsLate);
        Assert.Equal([FederalCoordinator], late.To);
        var held = (await Host.StatusAsync(parentId))["lateContribution"]!;
        Assert.Equal((childId, 2), (held["fromRoundId"]!.GetValue<string>(), held["items"]!.GetValue<int>()));
        Assert.Null(held["decision"]);
        Assert.Single(Host.MailFolder.For(childId, "CoordinatorNotice"), IsWarning);
        Assert.Single(Host.MailFolder.For(parentId, "CoordinatorNotice"), IsWarning);

        using (var accept = await Host.Client.PostAsJsonAsync($"/api/rounds/{parentId}/late-contributions/flanders", new { decision = "accept" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
        }

        var until = DateTime.UtcNow.AddSeconds(60);
        while ((await Host.StatusAsync(parentId))["positionVersion"]!.GetValue<int>() < 2)
        {
            Assert.True(DateTime.UtcNow < until, "No new draft after the late contribution was accepted.");
            await Task.Delay(250);
        }

        var next = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{parentId}/position"))!;
        Assert.Equal(("Draft", 2), (next["status"]!.GetValue<string>(), next["version"]!.GetValue<int>()));
        var budget = next["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        var flanders = budget["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == "flanders")!;
        Assert.Equal("Objection", flanders["stance"]!.GetValue<string>());
        Assert.Contains("Not without SDG 4.", flanders["remarks"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(flanders["contributors"]);
        Assert.Equal("Divergence", budget["outcome"]!.GetValue<string>());
        Assert.Equal("Accepted", (await Host.StatusAsync(parentId))["lateContribution"]!["decision"]!.GetValue<string>());
    }

    public sealed class OnLocalHost() : CoormultiRoundEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : CoormultiRoundEndToEndTests(HostKind.Functions);
}
