using Microsoft.DurableTask;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>Every branch of the round orchestrator, with a mocked context: activities, signals and time under the test's control.</summary>
public sealed class ConsultationRoundTests
{
    static readonly string[] Three = ["education", "environment", "culture-youth-media"];

    [Fact]
    public void Run_Starts_OpensTheRoundAndSendsEachRespondentARequest()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();

        Assert.Equal([nameof(OpenRound), nameof(SendEmails)], script.Activities);
        var batch = script.InputsOf<EmailBatch>(nameof(SendEmails)).Single();
        Assert.Equal(MessageKind.Request, batch.Kind);
        Assert.Equal(1, batch.MessageNumber);
        Assert.Equal(Three, batch.Participants);
        Assert.True(script.IsWaitingForSignal);
        Assert.Equal([script.Plan.Deadline.UtcDateTime], script.LiveTimers);
    }

    [Fact]
    public void Run_ManyRespondents_RequestsGoInBatches()
    {
        var many = Enumerable.Range(0, 60).Select(i => $"p{i:D2}").ToArray();

        var script = new RoundScript(RoundScript.PlanFor(many)).Run();

        var batches = script.InputsOf<EmailBatch>(nameof(SendEmails)).ToList();
        Assert.Equal([25, 25, 10], batches.Select(b => b.Participants.Count));
        Assert.Equal(many, batches.SelectMany(b => b.Participants));
    }

    [Fact]
    public void Replies_EveryoneAnswers_ReceiptsThenDraftAndCoordinatorNoticeWhileRepliesStayOpenUntilTheDeadline()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();

        script.Reply("education").Reply("environment");
        Assert.DoesNotContain(nameof(AssemblePosition), script.Activities);
        script.Reply("culture-youth-media");

        Assert.Equal(Three, script.InputsOf<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Receipt).SelectMany(b => b.Participants));
        Assert.Equal(new ConsolidationRequest("r1", 1), script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Single());
        Assert.Equal(new CoordinatorNotice("r1", NoticeKind.PositionReady, 1), script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)).Single());
        Assert.DoesNotContain(nameof(CloseCollection), script.Activities);
        Assert.Equal([script.Plan.Deadline.UtcDateTime], script.LiveTimers);
    }

    [Fact]
    public void Replies_WhileAReceiptIsOnItsWay_GoTogetherInTheNextBatch()
    {
        var script = new RoundScript(RoundScript.PlanFor([.. Three, "finance-budget"])) { HoldReceipts = true }.Run();

        script.Reply("education").Reply("environment").Reply("culture-youth-media").Reply("education", version: 2);
        Assert.Equal([["education"]], Receipts(script).Select(b => b.Participants));

        script.ReleaseReceipts();
        var receipts = Receipts(script);
        Assert.Equal(3, receipts.Count);
        Assert.Equal([1, 1, 2], receipts.Select(b => b.MessageNumber));
        Assert.Equal(["environment", "culture-youth-media"], receipts[1].Participants);
        Assert.Equal(["education"], receipts[2].Participants);
    }

    [Fact]
    public void Amendments_BurstWhileAReceiptIsOnItsWay_OneReceiptForTheLatestVersion()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)) { HoldReceipts = true }.Run();

        script.Reply("education");
        foreach (var version in Enumerable.Range(2, 9))
        {
            script.Reply("education", version);
        }

        script.Reply("environment").ReleaseReceipts();

        // The first receipt was on its way; versions 2 to 10 waited together and got one, for version 10.
        Assert.Equal([(1, "education"), (10, "education"), (1, "environment")], Receipts(script).Select(b => (b.MessageNumber, string.Join(",", b.Participants))));
    }

    [Fact]
    public void Replies_WaitingForTheNext_ReusesTheDeadlineTimer()
    {
        var script = new RoundScript(RoundScript.PlanFor([.. Three, "finance-budget"])).Run();

        script.Reply("education").Reply("environment").Reply("culture-youth-media");

        Assert.Equal(1, script.TimersCreated);
        Assert.Equal([script.Plan.Deadline.UtcDateTime], script.LiveTimers);
    }

    [Fact]
    public void Replies_LastOneWhileReceiptsAreOnTheirWay_CoordinatorIsToldOnlyOnceEveryReceiptIsOut()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)) { HoldReceipts = true }.Run();

        script.Reply("education").Reply("environment").Reply("culture-youth-media");
        Assert.Contains(nameof(AssemblePosition), script.Activities);
        Assert.DoesNotContain(nameof(NotifyCoordinator), script.Activities);

        script.ReleaseReceipts().ReleaseReceipts();
        Assert.Equal(Three, Receipts(script).SelectMany(b => b.Participants));
        Assert.Contains(nameof(NotifyCoordinator), script.Activities);
    }

    [Fact]
    public void Replies_ManyWhileReceiptsAreOnTheirWay_GoInTripsSoTheDraftWaitsBehindOneTripAtMost()
    {
        // More than two trips' worth, and fewer than a history holds (past that the round goes on in a fresh one).
        var many = Enumerable.Range(0, ConsultationRound.SignalsPerHistory - 10).Select(i => $"p{i:D3}").ToArray();
        var script = new RoundScript(RoundScript.PlanFor(many)) { HoldReceipts = true }.Run();
        foreach (var participant in many[..^1])
        {
            script.Reply(participant);
        }

        // The first reply's receipt went alone; once it is out, the next trip takes 50 of the 88 waiting, not all.
        script.ReleaseReceipts();
        Assert.Equal([1, 25, 25], Receipts(script).Select(b => b.Participants.Count));

        script.Reply(many[^1]);
        Assert.Equal(nameof(AssemblePosition), script.Activities[^1]);
        Assert.Equal(3, Receipts(script).Count);

        script.ReleaseReceipts().ReleaseReceipts().ReleaseReceipts();
        Assert.Equal(many, Receipts(script).SelectMany(b => b.Participants));
        Assert.All(Receipts(script), b => Assert.True(b.Participants.Count <= ConsultationRound.EmailBatchSize));
        Assert.Contains(nameof(NotifyCoordinator), script.Activities);
    }

    static List<EmailBatch> Receipts(RoundScript script) =>
        script.InputsOf<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Receipt).ToList();

    [Fact]
    public void Deadline_PassesWithSomeoneSilent_ClosesRepliesThenAssemblesTheDraft()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.Reply("education");

        script.PassDeadline();

        var afterDeadline = script.Activities.SkipWhile(a => a != nameof(CloseCollection)).ToList();
        Assert.Equal([nameof(CloseCollection), nameof(SendMissingReceipts), nameof(AssemblePosition), nameof(NotifyCoordinator)], afterDeadline);
        Assert.Empty(script.LiveTimers);
        Assert.False(script.Running.IsCompleted);
    }

    [Fact]
    public void Reminders_AtEachOffset_GoOnlyToThoseWhoHaveNotReplied()
    {
        var plan = RoundScript.PlanFor(Three) with { ReminderOffsets = [TimeSpan.FromDays(2), TimeSpan.FromDays(1)] };
        var script = new RoundScript(plan).Run();
        var deadline = plan.Deadline.UtcDateTime;
        Assert.Equal([deadline.AddDays(-2)], script.LiveTimers);

        script.Reply("education").AdvanceTo(deadline.AddDays(-2));
        script.Reply("environment").AdvanceTo(deadline.AddDays(-1));

        var reminders = script.InputsOf<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Reminder).ToList();
        Assert.Equal([101, 102], reminders.Select(r => r.MessageNumber));
        Assert.Equal(["culture-youth-media", "environment"], reminders[0].Participants);
        Assert.Equal(["culture-youth-media"], reminders[1].Participants);
        Assert.Equal([deadline], script.LiveTimers);
    }

    [Fact]
    public void RemindNow_TwiceWithinTenMinutes_SendsOnceThenAgainLater()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.Reply("education");

        script.Signal(RoundSignal.RemindNow());
        script.AdvanceTo(RoundScript.Start.AddMinutes(5)).Signal(RoundSignal.RemindNow());
        script.AdvanceTo(RoundScript.Start.AddMinutes(11)).Signal(RoundSignal.RemindNow());

        var reminders = script.InputsOf<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Reminder).ToList();
        Assert.Equal([101, 102], reminders.Select(r => r.MessageNumber));
        Assert.All(reminders, r => Assert.Equal(["culture-youth-media", "environment"], r.Participants));
    }

    [Fact]
    public void DeadlineMoved_Later_TheOldDeadlineNoLongerClosesAndTheNewOneDoes()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        var moved = new DateTimeOffset(script.Plan.Deadline.UtcDateTime.AddDays(3));

        script.Signal(RoundSignal.MoveDeadline(moved));
        Assert.Equal(new DeadlineChange("r1", moved), script.InputsOf<DeadlineChange>(nameof(RecordDeadline)).Single());

        script.PassDeadline();
        Assert.DoesNotContain(nameof(CloseCollection), script.Activities);

        script.AdvanceTo(moved.UtcDateTime.AddSeconds(1));
        Assert.Contains(nameof(CloseCollection), script.Activities);
    }

    [Fact]
    public void DeadlineMoved_Earlier_ClosesAtTheEarlierTime()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        var earlier = RoundScript.Start.AddDays(2);

        script.Signal(RoundSignal.MoveDeadline(earlier)).AdvanceTo(earlier.AddSeconds(1));

        Assert.Contains(nameof(CloseCollection), script.Activities);
    }

    [Fact]
    public void Signal_DeliveredTwice_IsHandledOnce()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();

        script.Reply("education").Reply("education");

        Assert.Single(script.InputsOf<EmailBatch>(nameof(SendEmails)), b => b.Kind == MessageKind.Receipt);
    }

    [Fact]
    public void Amendment_AfterTheDraft_GetsAReceiptAndANewDraftVersion()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.Reply("education").Reply("environment").Reply("culture-youth-media");

        script.Reply("education", version: 2);

        Assert.Equal([1, 2], script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Select(c => c.Version));
        Assert.Contains(script.InputsOf<EmailBatch>(nameof(SendEmails)), b => b is { Kind: MessageKind.Receipt, MessageNumber: 2 });
        Assert.Single(script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)));
    }

    [Fact]
    public void Settled_InReview_ANewDraftShowsIt_TheSameSignalAgainIsTakenOnce()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.Reply("education").Reply("environment").Reply("culture-youth-media");
        var settled = RoundSignal.Settled("5.I", new DateTimeOffset(RoundScript.Start));

        script.Signal(settled).Signal(settled);

        Assert.Equal([1, 2], script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Select(c => c.Version));
        Assert.Single(script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)));
        Assert.True(script.IsWaitingForSignal);
    }

    [Fact]
    public void Settled_WhileCollecting_IsIgnored()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.Reply("education");

        script.Signal(RoundSignal.Settled("5.I", new DateTimeOffset(RoundScript.Start)));

        Assert.Empty(script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)));
        Assert.True(script.IsWaitingForSignal);
    }

    [Fact]
    public void LateReply_StoredJustBeforeTheDeadlineButSignalledAfter_IsInANewDraft()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.PassDeadline();

        script.Reply("environment");

        Assert.Equal([1, 2], script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Select(c => c.Version));
    }

    [Fact]
    public async Task Review_Approve_ClosesRepliesAssemblesTheFinalVersionAndEnds()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.Reply("education").Reply("environment").Reply("culture-youth-media");

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        Assert.Equal(new RoundOutcome("r1", RoundPhase.Final, 2), await script.Running);
        Assert.Equal(new ConsolidationRequest("r1", 2, Final: true), script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Last());
        Assert.Equal(nameof(CloseCollection), script.Activities.SkipWhile(a => a != nameof(NotifyCoordinator)).Skip(1).First());
        Assert.Equal(NoticeKind.PositionFinal, script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)).Last().Kind);
        Assert.DoesNotContain(nameof(SubmitToParentRound), script.Activities);
    }

    [Fact]
    public void Review_Reopen_ReopensTheDivergentItemsAsTheNextIterationWithTheSameLeadTime()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)) { DivergentItems = ["5.I"] }.Run();
        script.AdvanceTo(RoundScript.Start.AddDays(1)).Reply("education").Reply("environment").Reply("culture-youth-media");

        script.Signal(RoundSignal.Review(ReviewDecision.Reopen, "Please converge on the budget.", null));

        var reopen = script.InputsOf<ReopenRequest>(nameof(ReopenRound)).Single();
        Assert.Equal(2, reopen.Iteration);
        Assert.Equal(["5.I"], reopen.Items);
        Assert.Equal(RoundScript.Start.AddDays(8), reopen.Deadline.UtcDateTime);
        Assert.Equal("Please converge on the budget.", reopen.Comments);
        Assert.Equal(new RoundInput("r1", 2), script.ContinuedAsNew);
        Assert.Equal(RoundWorkflowVersions.Current, script.ContinuedAsNewVersion);
        Assert.Contains(nameof(CloseCollection), script.Activities);
    }

    [Fact]
    public void Review_ReopenWithANewDeadline_UsesIt()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)) { DivergentItems = ["5.I", "12"] }.Run();
        script.PassDeadline();
        var deadline = new DateTimeOffset(RoundScript.Start.AddDays(20));

        script.Signal(RoundSignal.Review(ReviewDecision.Reopen, null, deadline));

        Assert.Equal(deadline, script.InputsOf<ReopenRequest>(nameof(ReopenRound)).Single().Deadline);
    }

    [Fact]
    public void Review_ReopenWithoutDivergence_IsIgnored()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.PassDeadline();

        script.Signal(RoundSignal.Review(ReviewDecision.Reopen, null, null));

        Assert.DoesNotContain(nameof(ReopenRound), script.Activities);
        Assert.Null(script.ContinuedAsNew);
        Assert.True(script.IsWaitingForSignal);
    }

    [Fact]
    public async Task Cancel_WhileCollecting_CancelsTheRoundWithTheReason()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.Reply("education");

        script.Signal(RoundSignal.Cancel("Meeting postponed."));

        Assert.Equal(RoundPhase.Cancelled, (await script.Running).Phase);
        Assert.Equal(new CancelRequest("r1", "Meeting postponed."), script.InputsOf<CancelRequest>(nameof(CancelRound)).Single());
        Assert.DoesNotContain(nameof(AssemblePosition), script.Activities);
    }

    [Fact]
    public async Task Cancel_InReview_CancelsTheRound()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three)).Run();
        script.PassDeadline();

        script.Signal(RoundSignal.Cancel(null));

        Assert.Equal(RoundPhase.Cancelled, (await script.Running).Phase);
    }

    [Fact]
    public void LinkedRound_FlandersViaSoia_StartsTheLinkedRoundAndAwaitsFlandersWithoutMailingIt()
    {
        var plan = RoundScript.PlanFor("federal", "wallonia") with { Awaited = ["federal", "wallonia", "flanders"], NeedsLinkedRound = true };
        var script = new RoundScript(plan).Run();

        Assert.Equal(new LinkedRoundRequest("r1", 1), script.InputsOf<LinkedRoundRequest>(nameof(StartLinkedRound)).Single());
        Assert.DoesNotContain("flanders", script.InputsOf<EmailBatch>(nameof(SendEmails)).SelectMany(b => b.Participants));

        script.Reply("federal").Reply("wallonia");
        Assert.DoesNotContain(nameof(AssemblePosition), script.Activities);
        script.Reply("flanders");
        Assert.Contains(nameof(AssemblePosition), script.Activities);
        Assert.DoesNotContain(script.InputsOf<EmailBatch>(nameof(SendEmails)), b => b.Participants.Contains("flanders"));
    }

    [Fact]
    public async Task LinkedRound_ChildApproved_SubmitsItsPositionToTheParentRound()
    {
        var plan = RoundScript.PlanFor(Three) with { ParentRoundId = "parent" };
        var script = new RoundScript(plan, new RoundInput("parent-soia-1")).Run();
        script.Reply("education").Reply("environment").Reply("culture-youth-media");

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        await script.Running;
        Assert.Equal(new RoundInput("parent-soia-1"), script.InputsOf<RoundInput>(nameof(SubmitToParentRound)).Single());
    }

    [Fact]
    public async Task LinkedRound_SubmittingToTheParentFailsPastItsRetries_TheWorkflowStopsAndSaysSoToTheCoordinators()
    {
        var plan = RoundScript.PlanFor(Three) with { ParentRoundId = "parent" };
        var script = new RoundScript(plan, new RoundInput("parent-soia-1")).Run();
        script.Failing.Add(nameof(SubmitToParentRound));
        script.Reply("education").Reply("environment").Reply("culture-youth-media");

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        // Failed, for the operator to see, but not silently: the notice (which also tells the parent's coordinator).
        await Assert.ThrowsAsync<TaskFailedException>(() => script.Running);
        var stopped = Assert.Single(script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)), n => n.Kind == NoticeKind.Stopped);
        Assert.Equal(("parent-soia-1", 1), (stopped.RoundId, stopped.MessageNumber));
        Assert.StartsWith($"{nameof(SubmitToParentRound)} failed: ", stopped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondIteration_ContinuesPositionVersionsAndNumbersItsRequestsAndReminders()
    {
        var plan = RoundScript.PlanFor(Three) with { PositionVersion = 3, ReminderOffsets = [TimeSpan.FromDays(1)] };
        var script = new RoundScript(plan, new RoundInput("r1", 2)).Run();

        Assert.Equal(2, script.InputsOf<EmailBatch>(nameof(SendEmails)).Single().MessageNumber);
        script.AdvanceTo(plan.Deadline.UtcDateTime.AddDays(-1));
        Assert.Equal(201, script.InputsOf<EmailBatch>(nameof(SendEmails)).Last().MessageNumber);
        script.PassDeadline();
        Assert.Equal(4, script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Single().Version);
    }

    [Fact]
    public async Task MailOutage_EveryEmailActivityFails_TheRoundStillCollectsDraftsAndIsApproved()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three));
        script.Failing.UnionWith([nameof(SendEmails), nameof(NotifyCoordinator)]);
        script.Run();

        script.Reply("education").Reply("environment").Reply("culture-youth-media");
        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        Assert.Equal(RoundPhase.Final, (await script.Running).Phase);
        Assert.Equal(2, script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)).Count());
    }

    /// <summary>What the round carries to a fresh history, with only <paramref name="stillAwaited"/> still awaited.</summary>
    static RoundProgress Carried(RoundIteration round, PositionSummary? draft, params string[] stillAwaited)
    {
        var carried = round.Carry(draft);
        return carried with { Plan = carried.Plan with { Awaited = stillAwaited } };
    }

    static string[] Respondents(int count) => Enumerable.Range(0, count).Select(i => $"p{i:D3}").ToArray();

    [Fact]
    public async Task Signals_AsManyAsAHistoryHolds_TheRoundGoesOnInAFreshHistoryCarryingWhereItStands()
    {
        var everyone = Respondents(ConsultationRound.SignalsPerHistory + 20);
        var script = new RoundScript(RoundScript.PlanFor(everyone)).Run();

        // Replies in later steps than the first (a first step takes what the last history handed over, whatever its size).
        script.AdvanceTo(RoundScript.Start.AddMinutes(1));
        foreach (var participant in everyone.Take(ConsultationRound.SignalsPerHistory))
        {
            script.Reply(participant);
        }

        Assert.True(script.Running.IsCompletedSuccessfully);
        Assert.Equal(RoundPhase.Collecting, (await script.Running).Phase);
        var next = script.ContinuedAsNew!;
        Assert.Equal(RoundWorkflowVersions.Current, script.ContinuedAsNewVersion);
        Assert.Equal(("r1", 1), (next.RoundId, next.Iteration));
        var progress = next.Progress!;
        Assert.Equal(everyone.Skip(ConsultationRound.SignalsPerHistory), progress.Plan.Awaited);
        Assert.Empty(progress.Plan.EmailRecipients);
        Assert.Empty(progress.ViaLinkedRound);
        Assert.True(progress.CollectionOpen);
        Assert.Null(progress.Draft);
        Assert.Equal(script.Plan.Deadline.UtcDateTime, progress.Plan.Deadline.UtcDateTime);
        Assert.Equal(RoundScript.Start, progress.StartedAt);
        // Every receipt went out, or goes along (the last reply's: it would have gone in the next trip); no timer is left.
        var sent = script.InputsOf<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Receipt).SelectMany(b => b.Participants);
        Assert.Equal(everyone.Take(ConsultationRound.SignalsPerHistory), sent.Concat(progress.Receipts!.Select(r => r.Participant!)));
        Assert.Equal([everyone[ConsultationRound.SignalsPerHistory - 1]], progress.Receipts!.Select(r => r.Participant));
        Assert.Empty(progress.Signals!);
        Assert.Empty(script.LiveTimers);
    }

    [Fact]
    public void Signals_AsManyAsAHistoryHoldsWhileReceiptsAreOnTheirWay_GoesOnAtOnceTakingTheReceiptsAlong()
    {
        var everyone = Respondents(ConsultationRound.SignalsPerHistory + 20);
        var script = new RoundScript(RoundScript.PlanFor(everyone)) { HoldReceipts = true }.Run();

        // Replies in later steps than the first (a first step takes what the last history handed over, whatever its size).
        script.AdvanceTo(RoundScript.Start.AddMinutes(1));
        foreach (var participant in everyone.Take(ConsultationRound.SignalsPerHistory))
        {
            script.Reply(participant);
        }

        // The first reply's receipt is on its way (held); the round does not wait for it.
        var progress = script.ContinuedAsNew!.Progress!;
        Assert.Equal(everyone.Take(ConsultationRound.SignalsPerHistory), progress.Receipts!.Select(r => r.Participant));
        Assert.Equal([everyone[0]], script.InputsOf<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Receipt).SelectMany(b => b.Participants));
    }

    [Fact]
    public void Resume_RoundWithALinkedRound_StillSendsNoReceiptOrReminderToTheParticipantAnsweredThroughIt()
    {
        var plan = RoundScript.PlanFor("federal", "flanders") with { EmailRecipients = ["federal"], ReminderOffsets = [TimeSpan.FromDays(1)] };
        var carried = new RoundIteration(plan, RoundScript.Start).Carry(draft: null);
        Assert.Equal(["flanders"], carried.ViaLinkedRound);
        var script = new RoundScript(plan, new RoundInput("r1", 1, carried)).Run();

        script.Reply("flanders").AdvanceTo(plan.Deadline.UtcDateTime.AddDays(-1));

        Assert.DoesNotContain(script.InputsOf<EmailBatch>(nameof(SendEmails)), b => b.Participants.Contains("flanders"));
        Assert.Equal(["federal"], script.InputsOf<EmailBatch>(nameof(SendEmails)).Single(b => b.Kind == MessageKind.Reminder).Participants);
    }

    [Fact]
    public void Resume_WithCarriedReceiptsAndSignals_SendsTheReceiptsAndTakesTheSignalsFirst()
    {
        var plan = RoundScript.PlanFor(Three);
        var progress = Carried(new RoundIteration(plan, RoundScript.Start), draft: null, "environment", "culture-youth-media") with
        {
            Receipts = [RoundSignal.Reply("education", 2)],
            Signals = [RoundSignal.Reply("environment", 1), RoundSignal.Reply("environment", 1)],
        };
        var script = new RoundScript(plan, new RoundInput("r1", 1, progress)).Run();

        var receipts = script.InputsOf<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Receipt).ToList();
        Assert.Equal([("education", 2), ("environment", 1)], receipts.SelectMany(b => b.Participants.Select(p => (p, b.MessageNumber))));
        Assert.DoesNotContain(nameof(AssemblePosition), script.Activities);
        script.Reply("culture-youth-media");
        Assert.Contains(nameof(AssemblePosition), script.Activities);
    }

    [Fact]
    public void Signals_OnARoundOfAnOlderVersion_KeepOneHistory()
    {
        var everyone = Respondents(ConsultationRound.SignalsPerHistory + 20);
        var script = new RoundScript(RoundScript.PlanFor(everyone)) { Version = RoundWorkflowVersions.Unversioned }.Run();

        script.AdvanceTo(RoundScript.Start.AddMinutes(1));
        foreach (var participant in everyone.Take(ConsultationRound.SignalsPerHistory + 5))
        {
            script.Reply(participant);
        }

        Assert.Null(script.ContinuedAsNew);
        Assert.True(script.IsWaitingForSignal);
    }

    [Fact]
    public void Resume_FromCarriedProgress_AsksNobodyAgainAndDraftsWhenTheRestHaveReplied()
    {
        var plan = RoundScript.PlanFor(Three) with { PositionVersion = 2 };
        var progress = Carried(new RoundIteration(plan, RoundScript.Start), draft: null, "environment");
        var script = new RoundScript(plan, new RoundInput("r1", 1, progress)).Run();

        Assert.Empty(script.Activities);
        Assert.True(script.IsWaitingForSignal);
        Assert.Equal([plan.Deadline.UtcDateTime], script.LiveTimers);
        script.Reply("environment");

        Assert.Equal(["environment"], script.InputsOf<EmailBatch>(nameof(SendEmails)).Single(b => b.Kind == MessageKind.Receipt).Participants);
        Assert.Equal(new ConsolidationRequest("r1", 3), script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Single());
        Assert.Equal(NoticeKind.PositionReady, script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)).Single().Kind);
        Assert.All(script.Calls, call => Assert.True(call.Input is not RoundInput { Progress: not null }, "An activity was given the carried progress."));
    }

    [Fact]
    public async Task Resume_InReview_TheCoordinatorsApprovalMakesItFinalWithoutAnotherDraftNotice()
    {
        var plan = RoundScript.PlanFor(Three);
        var progress = Carried(new RoundIteration(plan, RoundScript.Start) { PositionVersion = 4 }, new PositionSummary(4, ["5.I"]));
        var script = new RoundScript(plan, new RoundInput("r1", 1, progress)).Run();

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        Assert.True(script.Running.IsCompletedSuccessfully);
        Assert.Equal(RoundPhase.Final, (await script.Running).Phase);
        Assert.Equal(new ConsolidationRequest("r1", 5, Final: true), script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Single());
        Assert.Equal([NoticeKind.PositionFinal], script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)).Select(n => n.Kind));
    }

    [Fact]
    public void Resume_InReview_ReopensTheCarriedDraftsDivergentItems()
    {
        var plan = RoundScript.PlanFor(Three);
        var progress = Carried(new RoundIteration(plan, RoundScript.Start) { PositionVersion = 4 }, new PositionSummary(4, ["5.I"]));
        var script = new RoundScript(plan, new RoundInput("r1", 1, progress)).Run();

        script.Signal(RoundSignal.Review(ReviewDecision.Reopen, null, null));

        Assert.Equal(["5.I"], script.InputsOf<ReopenRequest>(nameof(ReopenRound)).Single().Items);
        Assert.Equal(new RoundInput("r1", 2), script.ContinuedAsNew);
    }

    [Fact]
    public void Signals_AsManyAsAHistoryHoldsInItsFirstStep_AreAllTakenThereBeforeGoingOn()
    {
        var everyone = Respondents(ConsultationRound.SignalsPerHistory + 20);
        var script = new RoundScript(RoundScript.PlanFor(everyone)).Run();

        foreach (var participant in everyone.Take(ConsultationRound.SignalsPerHistory + 10))
        {
            script.Reply(participant);
        }

        Assert.Null(script.ContinuedAsNew);
        script.AdvanceTo(RoundScript.Start.AddMinutes(1)).Reply(everyone[^1]);
        Assert.Equal(everyone.Skip(ConsultationRound.SignalsPerHistory + 10).SkipLast(1), script.ContinuedAsNew!.Progress!.Plan.Awaited);
    }
}
