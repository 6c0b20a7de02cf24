using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Http;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Email;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>
/// Flanders' own round, on real storage with a fake SendGrid: the linked SOIA round's coordinator comes from the request
/// or the directory; both coordinators are warned before the COORMULTI deadline; a position approved after the COORMULTI
/// round closed its replies is held there for its coordinator to accept or decline in review, or, once that round has
/// ended, the SOIA coordinator is told it came too late.
/// </summary>
public sealed class LinkedRoundCoordinationTests : IAsyncLifetime
{
    const string FlemishCoordination = "multilateraal@vlaanderen.example";
    static readonly string[] Areas = ["education", "environment", "culture-youth-media"];

    EmailWorld world = null!;
    readonly Mock<DurableTaskClient> client = new("test");

    public async Task InitializeAsync()
    {
        world = await EmailWorld.StartAsync();
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new OrchestrationMetadata(nameof(ConsultationRound), id) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    RoundStore Rounds => world.Get<RoundStore>();

    /// <summary>A COORMULTI round with Flanders through a linked round of three areas, opened, and its linked round started.</summary>
    async Task<(RoundDefinition Parent, RoundDefinition Child)> CoormultiWithLinkedRoundAsync(string? soiaCoordinator = null)
    {
        var id = RoundIds.New();
        var parent = new RoundDefinition(
            id, Procedure.COORMULTI, "UNESCO Executive Board <221st> session & co", "UNESCO", MeetingKind.BoardMeeting,
            [new AgendaItem("5.I", "Draft programme and budget", "Zero real growth."), new AgendaItem("12", "Ethics", "Adopt.")],
            ["federal", "flanders"], Areas, DateTimeOffset.UtcNow.AddDays(7), SilenceProcedure: false, EmailWorld.Coordinator, DateTimeOffset.UtcNow,
            SoiaCoordinatorEmail: soiaCoordinator, CoordinatorLanguage: "fr");
        await Rounds.CreateAsync(parent, "test", CancellationToken.None);
        await world.Get<OpenRound>().RunAsync(new RoundInput(id));
        var childId = await world.Get<StartLinkedRound>().RunAsync(new LinkedRoundRequest(id, 1), client.Object);
        await world.Get<OpenRound>().RunAsync(new RoundInput(childId));
        return (parent, (await Rounds.GetAsync(childId, CancellationToken.None))!.Definition);
    }

    /// <summary>The areas reply, and the SOIA position is approved as final (version 1).</summary>
    async Task ApproveSoiaPositionAsync(RoundDefinition child)
    {
        var stored = (await Rounds.GetAsync(child.Id, CancellationToken.None))!;
        foreach (var area in Areas)
        {
            await world.Get<ContributionStore>().SaveAsync(
                stored, area, [new ItemReply("5.I", Stance.Objection, $"{area} objects."), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        }

        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(child.Id, 1, Final: true));
    }

    async Task CloseParentForReviewAsync(string parentId)
    {
        await world.Get<CloseCollection>().RunAsync(new RoundInput(parentId));
        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(parentId, 1));
    }

    [Fact]
    public async Task StartLinkedRound_NoSoiaCoordinatorNamed_TheDirectorysFlemishCoordinationOwnsTheLinkedRound()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();

        Assert.Equal(FlemishCoordination, child.CoordinatorEmail);
        Assert.Equal(EmailWorld.Coordinator, parent.CoordinatorEmail);
        Assert.Null(child.SoiaCoordinatorEmail);
        // The Flemish coordination reads its notices in Flanders' directory language, not the federal coordinator's.
        Assert.Equal("nl", child.CoordinatorLanguage);
        Assert.Contains(
            await world.Get<AuditLog>().GetAsync(child.Id, CancellationToken.None),
            a => a.Action == "RoundCreated" && a.Actor.EndsWith($"coordinator {FlemishCoordination}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartLinkedRound_SoiaCoordinatorNamed_ThatAddressOwnsTheLinkedRound()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync("soia-desk@vlaanderen.example");

        Assert.Equal("soia-desk@vlaanderen.example", child.CoordinatorEmail);
        Assert.Equal("soia-desk@vlaanderen.example", (await Rounds.GetAsync(parent.Id, CancellationToken.None))!.Definition.SoiaCoordinatorEmail);
    }

    [Fact]
    public void SoiaCoordinator_DirectoryWithoutAnAddressForFlanders_TheCoormultiCoordinatorRatherThanNone()
    {
        var parent = Builders.TestRounds.Coormulti(["federal", "flanders"], Areas);
        var flanders = new Participant("flanders", "Flanders", ParticipantLevel.BelgianEntity, [], "nl");

        Assert.Equal(parent.CoordinatorEmail, StartLinkedRound.SoiaCoordinator(parent, flanders));
        Assert.Equal(parent.CoordinatorEmail, StartLinkedRound.SoiaCoordinator(parent, null));
        Assert.Equal("a@b.example", StartLinkedRound.SoiaCoordinator(parent with { SoiaCoordinatorEmail = "a@b.example" }, flanders));
    }

    [Fact]
    public async Task OpenRound_LinkedRound_PlansTheWarningBeforeTheParentsDeadline()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();

        var plan = await world.Get<OpenRound>().RunAsync(new RoundInput(child.Id));
        var parentPlan = await world.Get<OpenRound>().RunAsync(new RoundInput(parent.Id));

        Assert.Equal(parent.Deadline.AddHours(-12), plan.ParentDeadlineWarningAt);
        Assert.Null(parentPlan.ParentDeadlineWarningAt);
    }

    [Fact]
    public async Task NotifyCoordinator_ParentDeadlineNear_BothCoordinatorsOnceEachInTheirRoundsLedgerAndLanguage()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();
        var notice = new CoordinatorNotice(child.Id, NoticeKind.ParentDeadlineNear, 1);

        Assert.True(await world.Get<NotifyCoordinator>().RunAsync(notice));
        Assert.True(await world.Get<NotifyCoordinator>().RunAsync(notice));

        Assert.Equal(
            [(FlemishCoordination, child.Id, "coordinator"), (EmailWorld.Coordinator, parent.Id, "flanders")],
            world.SendGrid.Calls.Select(c => (c.To.Single(), c.RoundId, c.ParticipantId)));
        Assert.All(world.SendGrid.Calls, c => Assert.Equal("ParentDeadlineNear", c.Notice));
        // Each coordinator in their round's language: the Flemish coordination in Dutch, the COORMULTI one in French.
        var (toFlanders, toParent) = (world.SendGrid.Calls[0], world.SendGrid.Calls[1]);
        Assert.StartsWith("Vlaams standpunt nog niet goedgekeurd", toFlanders.Subject, StringComparison.Ordinal);
        Assert.Contains("als niet geantwoord", toFlanders.PlainText, StringComparison.Ordinal);
        Assert.StartsWith("Position flamande pas encore approuvée", toParent.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyCoordinator_ParentDeadlineNearButTheParentClosedItsReplies_NothingToWarnAbout()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();
        await world.Get<CloseCollection>().RunAsync(new RoundInput(parent.Id));

        Assert.True(await world.Get<NotifyCoordinator>().RunAsync(new CoordinatorNotice(child.Id, NoticeKind.ParentDeadlineNear, 1)));

        Assert.Empty(world.SendGrid.Calls);
    }

    [Fact]
    public async Task SubmitToParentRound_ParentClosedItsRepliesAndIsInReview_HeldThereAndItsCoordinatorToldOnce()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();
        await CloseParentForReviewAsync(parent.Id);
        await ApproveSoiaPositionAsync(child);

        Assert.False(await world.Get<SubmitToParentRound>().RunAsync(new RoundInput(child.Id), client.Object));
        Assert.False(await world.Get<SubmitToParentRound>().RunAsync(new RoundInput(child.Id), client.Object));

        var held = (await world.Get<LateContributionStore>().GetAsync(parent.Id, "flanders", CancellationToken.None))!;
        Assert.True(held.Pending);
        Assert.Equal((child.Id, 1, 2), (held.FromRoundId, held.FromVersion, held.ItemCount));
        Assert.Equal(0, (await world.RequestAsync(parent.Id, "flanders")).LatestVersion);
        var told = Assert.Single(world.SendGrid.Calls);
        Assert.Equal((EmailWorld.Coordinator, parent.Id, "flanders", "LateContribution"), (told.To.Single(), told.RoundId, told.ParticipantId, told.Notice));
        Assert.Contains($"/api/rounds/{parent.Id}/late-contributions/flanders", told.PlainText, StringComparison.Ordinal);
        Assert.Contains(await world.Get<AuditLog>().GetAsync(parent.Id, CancellationToken.None), a => a.Action == "LateContributionHeld");
        Assert.Contains(
            await world.Get<AuditLog>().GetAsync(child.Id, CancellationToken.None),
            a => a.Action == "SubmittedToParentRound" && a.Detail.Contains("held there", StringComparison.Ordinal));
        client.Verify(c => c.RaiseEventAsync(parent.Id, It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SubmitToParentRound_ParentAlreadyFinal_TheSoiaCoordinatorIsToldItCameTooLate()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();
        await world.Get<CloseCollection>().RunAsync(new RoundInput(parent.Id));
        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(parent.Id, 1, Final: true));
        await ApproveSoiaPositionAsync(child);

        Assert.False(await world.Get<SubmitToParentRound>().RunAsync(new RoundInput(child.Id), client.Object));

        Assert.Null(await world.Get<LateContributionStore>().GetAsync(parent.Id, "flanders", CancellationToken.None));
        var told = Assert.Single(world.SendGrid.Calls);
        Assert.Equal((FlemishCoordination, child.Id, "TooLate"), (told.To.Single(), told.RoundId, told.Notice));
        Assert.StartsWith("Vlaams standpunt te laat", told.Subject, StringComparison.Ordinal);
    }

    async Task<(HttpStatusCode Status, JsonObject? Body)> DecideAsync(
        string roundId, string body, string participant = "flanders", string? actingCoordinator = null)
    {
        var context = new DefaultHttpContext();
        if (actingCoordinator is not null)
        {
            context.Request.Headers[ActingCoordinator.HeaderName] = actingCoordinator;
        }

        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        var result = await world.Get<LateContributionsApi>().DecideAsync(roundId, participant, context.Request, client.Object, CancellationToken.None);
        var (status, text) = await world.ExecuteAsync(result, context);
        return (status, text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject());
    }

    async Task<(RoundDefinition Parent, RoundDefinition Child)> HeldInReviewAsync()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();
        await CloseParentForReviewAsync(parent.Id);
        await ApproveSoiaPositionAsync(child);
        await world.Get<SubmitToParentRound>().RunAsync(new RoundInput(child.Id), client.Object);
        return (parent, child);
    }

    [Fact]
    public async Task Decide_AcceptInReview_StoredAsFlandersNextVersionAndTheRoundSignalledAsByAReply()
    {
        var (parent, _) = await HeldInReviewAsync();

        var (status, _) = await DecideAsync(parent.Id, """{"decision":"accept"}""");
        var (again, _) = await DecideAsync(parent.Id, """{"decision":"accept"}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(1, (await world.RequestAsync(parent.Id, "flanders")).LatestVersion);
        var flanders = (await world.Get<ContributionStore>().GetLatestAsync(parent.Id, CancellationToken.None)).Single(c => c.Participant == "flanders");
        Assert.Equal(Stance.Objection, flanders.Items.Single(i => i.ItemId == "5.I").Stance);
        // Flanders' position, not the areas' answers (SubmitToParentRound's mapping holds for a late position too).
        Assert.Null(flanders.Items.Single(i => i.ItemId == "5.I").Contributors);
        client.Verify(c => c.RaiseEventAsync(parent.Id, RoundSignal.EventName, RoundSignal.Reply("flanders", 1), It.IsAny<CancellationToken>()), Times.Exactly(2));
        var status2 = await world.Get<RoundsApi>().GetRoundAsync(parent.Id, CancellationToken.None);
        var (_, body) = await world.ExecuteAsync(status2, new DefaultHttpContext());
        var late = JsonNode.Parse(body)!["lateContribution"]!;
        Assert.Equal(("Accepted", 1), (late["decision"]!.GetValue<string>(), late["acceptedVersion"]!.GetValue<int>()));
        Assert.Equal(EmailWorld.Coordinator, JsonNode.Parse(body)!["coordinatorEmail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Decide_ActingCoordinatorNamed_TheAuditNamesThatPersonAndAMalformedHeaderIs400()
    {
        var (parent, _) = await HeldInReviewAsync();

        var (malformed, _) = await DecideAsync(parent.Id, """{"decision":"decline"}""", actingCoordinator: "not an address");
        var (declined, _) = await DecideAsync(parent.Id, """{"decision":"decline"}""", actingCoordinator: "an.devos@vlaanderen.example");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Accepted), (malformed, declined));
        var audit = await world.Get<AuditLog>().GetAsync(parent.Id, CancellationToken.None);
        Assert.Equal("coordinator an.devos@vlaanderen.example", Assert.Single(audit, a => a.Action == "LateContributionDeclined").Actor);
    }

    [Fact]
    public async Task Decide_Decline_NothingStoredAndAnAcceptanceAfterwardsRefused()
    {
        var (parent, _) = await HeldInReviewAsync();

        var (declined, _) = await DecideAsync(parent.Id, """{"decision":"decline"}""");
        var (accepted, problem) = await DecideAsync(parent.Id, """{"decision":"accept"}""");

        Assert.Equal(HttpStatusCode.Accepted, declined);
        Assert.Equal(HttpStatusCode.Conflict, accepted);
        Assert.Contains("declined", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, (await world.RequestAsync(parent.Id, "flanders")).LatestVersion);
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Decide_NothingHeldOrNotInReview_409()
    {
        var (parent, child) = await CoormultiWithLinkedRoundAsync();

        var (collecting, _) = await DecideAsync(parent.Id, """{"decision":"accept"}""");
        await CloseParentForReviewAsync(parent.Id);
        var (nothingHeld, problem) = await DecideAsync(parent.Id, """{"decision":"accept"}""");

        Assert.Equal(HttpStatusCode.Conflict, collecting);
        Assert.Equal(HttpStatusCode.Conflict, nothingHeld);
        Assert.Contains("No late contribution", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await DecideAsync(child.Id, """{"decision":"accept"}""", participant: "federal")).Status);
    }

    [Theory]
    [InlineData("""{"decision":"maybe"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{}""", HttpStatusCode.BadRequest)]
    [InlineData("""not json""", HttpStatusCode.BadRequest)]
    [InlineData("""{"decision":17}""", HttpStatusCode.BadRequest)]
    public async Task Decide_BadBody_400AndNothingDecided(string body, HttpStatusCode expected)
    {
        var (parent, _) = await HeldInReviewAsync();

        Assert.Equal(expected, (await DecideAsync(parent.Id, body)).Status);

        Assert.True((await world.Get<LateContributionStore>().GetAsync(parent.Id, "flanders", CancellationToken.None))!.Pending);
    }
}
