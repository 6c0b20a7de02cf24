using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Tests.Email;

/// <summary>The NotifyCoordinator activity: each notice once, in the coordinator's language, with the right links.</summary>
public sealed class NotifyCoordinatorTests : IAsyncLifetime
{
    EmailWorld world = null!;

    public async Task InitializeAsync() => world = await EmailWorld.StartAsync();

    public async Task DisposeAsync() => await world.DisposeAsync();

    NotifyCoordinator Activity => world.Get<NotifyCoordinator>();

    [Fact]
    public async Task RunAsync_PositionReady_SentOnceWithTheOutcomeAndALinkToTheHtmlPosition()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education", "environment");
        var stored = (await world.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None))!;
        ItemReply[] objection = [new ItemReply("5.I", Stance.Objection, "No."), new ItemReply("12", Stance.Agree, null)];
        await world.Get<ContributionStore>().SaveAsync(stored, "education", objection, "test", CancellationToken.None);
        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1));

        var first = await Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionReady, 1));
        var again = await Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionReady, 1));

        Assert.True(first);
        Assert.True(again);
        var call = Assert.Single(world.SendGrid.Calls);
        Assert.Equal([EmailWorld.Coordinator], call.To);
        Assert.Equal("PositionReady", call.Notice);
        Assert.Equal("coordinator", call.ParticipantId);
        Assert.StartsWith("Ontwerpstandpunt klaar: UNESCO Executive Board <221st> session & co (versie 1)", call.Subject, StringComparison.Ordinal);
        Assert.Contains($"https://flows.example/api/rounds/{round.Id}/position?format=html", call.PlainText, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://flows.example/api/rounds/{round.Id}/position?format=html\"", call.Html, StringComparison.Ordinal);
        Assert.Contains("Divergentie: 1 / 2", call.PlainText, StringComparison.Ordinal);
        Assert.Contains("Geen antwoord van: environment", call.PlainText, StringComparison.Ordinal);
        Assert.Contains("5.I. Draft programme and budget", call.PlainText, StringComparison.Ordinal);
        Assert.Contains("&lt;221st&gt; session &amp; co", call.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LinkedRoundStopped_BothCoordinatorsAreToldOnceAndBothAuditsSayWhatFailed()
    {
        const string soiaCoordinator = "soia@vlaanderen.example";
        var store = world.Get<RoundStore>();
        var parent = await world.StartRoundAsync(Procedure.COORMULTI, "federal", "flanders");
        var child = parent with { Id = $"{parent.Id}-soia-1", Procedure = Procedure.SOIA, ParentRoundId = parent.Id, CoordinatorEmail = soiaCoordinator };
        await store.CreateAsync(child, "test", CancellationToken.None);
        var notice = new CoordinatorNotice(child.Id, NoticeKind.Stopped, 1, Detail: "SubmitToParentRound failed: the table refused the reply.");

        var first = await Activity.RunAsync(notice);
        var again = await Activity.RunAsync(notice);

        Assert.True(first && again);
        Assert.Equal(
            [(soiaCoordinator, child.Id), (EmailWorld.Coordinator, parent.Id)],
            world.SendGrid.Calls.Select(c => (c.To.Single(), c.RoundId)));
        Assert.All(world.SendGrid.Calls, c => Assert.StartsWith("Ronde gestopt, actie nodig: UNESCO Executive Board", c.Subject, StringComparison.Ordinal));
        Assert.All(world.SendGrid.Calls, c => Assert.Contains("the table refused the reply", c.PlainText, StringComparison.Ordinal));
        Assert.Contains(
            await world.Get<AuditLog>().GetAsync(child.Id, CancellationToken.None), a => a.Action == "WorkflowStopped" && a.Detail == notice.Detail);
        Assert.Contains(
            await world.Get<AuditLog>().GetAsync(parent.Id, CancellationToken.None),
            a => a.Action == "LinkedRoundStopped" && a.Detail.Contains(child.Id, StringComparison.Ordinal) && a.Detail.EndsWith(notice.Detail!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LinkedRoundStoppedWithCoordinatorsOfTwoLanguages_EachReadsItInTheirRoundsLanguage()
    {
        var store = world.Get<RoundStore>();
        var parent = await world.StartRoundAsync(Procedure.COORMULTI, "federal", "flanders");
        var frenchParent = parent with { Id = RoundIds.New(), CoordinatorLanguage = "fr" };
        await store.CreateAsync(frenchParent, "test", CancellationToken.None);
        var child = frenchParent with
        {
            Id = $"{frenchParent.Id}-soia-1", Procedure = Procedure.SOIA, ParentRoundId = frenchParent.Id,
            CoordinatorEmail = "soia@vlaanderen.example", CoordinatorLanguage = "nl",
        };
        await store.CreateAsync(child, "test", CancellationToken.None);

        await Activity.RunAsync(new CoordinatorNotice(child.Id, NoticeKind.Stopped, 1, Detail: "The table refused the reply."));

        Assert.StartsWith("Ronde gestopt", world.SendGrid.Calls.Single(c => c.RoundId == child.Id).Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("Ronde gestopt", world.SendGrid.Calls.Single(c => c.RoundId == frenchParent.Id).Subject, StringComparison.Ordinal);
        Assert.Equal(
            EmailTemplates.Stopped(child, "fr", "The table refused the reply.", "x").Subject,
            world.SendGrid.Calls.Single(c => c.RoundId == frenchParent.Id).Subject);
    }

    [Fact]
    public async Task RunAsync_NextVersionAndFinal_AreOtherNotices()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");
        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1));
        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 2));

        await Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionReady, 1));
        await Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionReady, 2));
        await Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionFinal, 2));
        await Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionFinal, 2));

        Assert.Equal(["PositionReady:1", "PositionReady:2", "PositionFinal:2"], world.SendGrid.Calls.Select(c => $"{c.Notice}:{c.CustomArg("sequence")}"));
    }

    [Fact]
    public async Task RunAsync_CoordinatorLanguageSetting_WritesInThatLanguage()
    {
        await using var english = await EmailWorld.StartAsync(new Dictionary<string, string?> { ["Email:CoordinatorLanguage"] = "en" });
        var round = await english.StartRoundAsync(Procedure.SOIA, "education");
        await english.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1));

        await english.Get<NotifyCoordinator>().RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionReady, 1));

        Assert.StartsWith("Draft position ready:", Assert.Single(english.SendGrid.Calls).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PositionNotStoredYet_FailsSoTheActivityIsRetried()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionReady, 1)));

        Assert.Empty(world.SendGrid.Calls);
        Assert.Null(await world.LedgerRowAsync(EmailKey.ForNotice(round.Id, NoticeKind.PositionReady, 1, null)));
    }

    [Fact]
    public async Task RunAsync_UndeliverableWithoutParticipant_Refused()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");

        await Assert.ThrowsAsync<ArgumentException>(() => Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.Undeliverable, 0)));
    }

    [Fact]
    public async Task RunAsync_CoordinatorAddressRefused_ReturnsFalseWithoutFailing()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");
        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1));
        world.SendGrid.Always(EmailWorld.Coordinator, MultilateralFlows.Testing.FakeReply.BadRequest("Invalid address."));

        var accepted = await Activity.RunAsync(new CoordinatorNotice(round.Id, NoticeKind.PositionReady, 1));

        Assert.False(accepted);
        Assert.Equal(SendState.Rejected, (await world.LedgerRowAsync(EmailKey.ForNotice(round.Id, NoticeKind.PositionReady, 1, null)))!.SendState);
    }
}
