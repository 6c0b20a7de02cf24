using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Rounds;

/// <summary>
/// The consultation round, top to bottom: open the round (and a linked SOIA round where Flanders first agrees its own
/// position), ask every respondent by e-mail, collect replies until everyone has answered or the deadline passes, put a
/// draft position before the coordinator, and act on the review: approve it as final, or reopen the divergent items as
/// the next iteration. Pure orchestration code: time, ids and I/O come from the context and from activities. How the
/// round waits (each signal once, one timer, receipts sent in trips meanwhile) is <see cref="RoundInbox"/>'s.
/// </summary>
public sealed class ConsultationRound
{
    /// <summary>E-mails go out in batches of this many participants: few activities, small history.</summary>
    public const int EmailBatchSize = 25;

    /// <summary>
    /// After this many signals (replies, mostly) a round goes on in a fresh history, carrying where it stands
    /// (<see cref="RoundProgress"/>): every step of an orchestration replays its whole history, so a round of a thousand
    /// replies would otherwise replay a thousand events for each of the last ones.
    /// </summary>
    public const int SignalsPerHistory = 100;

    /// <summary>Every activity but e-mail (storage, the Durable Task client): a short outage is ridden out for about a minute.</summary>
    static readonly TaskOptions DefaultRetryPolicy = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <summary>E-mail rides out a mail-service outage of about three quarters of an hour before the round gives up on that message.</summary>
    static readonly TaskOptions EmailRetryPolicy = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 10, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(10)));

    /// <summary>A second reminder on demand within this time is taken for a double click and not sent.</summary>
    static readonly TimeSpan ReminderOnDemandGap = TimeSpan.FromMinutes(10);

    readonly TaskOrchestrationContext context;
    readonly RoundInput input;
    readonly RoundProgress? carried;
    readonly ReceiptTrips receipts;
    readonly RoundInbox inbox;

    /// <summary>The time of this execution's first step (the same on every replay).</summary>
    readonly DateTime firstStepAt;

    /// <summary>Whether this execution's version goes on in a fresh history when full (read once: it never changes).</summary>
    readonly bool boundsHistory;

    /// <summary>Whether this execution's version sends the final position out once approved (read once, like <see cref="boundsHistory"/>).</summary>
    readonly bool distributesFinalPosition;

    /// <summary>Whether this execution's version warns before a linked round's parent deadline (read once: it never changes).</summary>
    readonly bool warnsBeforeParentDeadline;

    ConsultationRound(TaskOrchestrationContext context, RoundInput input)
    {
        this.context = context;
        // The activities are told which round and iteration; where it stands is the orchestration's own.
        this.input = input with { Progress = null };
        carried = input.Progress;
        receipts = new ReceiptTrips(input.RoundId, SendAsync, carried?.Receipts);
        inbox = new RoundInbox(context, receipts, carried?.Signals);
        firstStepAt = context.CurrentUtcDateTime;
        boundsHistory = RoundWorkflowVersions.BoundsHistory(context.Version);
        distributesFinalPosition = RoundWorkflowVersions.DistributesPosition(context.Version);
        warnsBeforeParentDeadline = RoundWorkflowVersions.WarnsBeforeTheParentDeadline(context.Version);
    }

    /// <summary>
    /// Runs the round. An activity that fails past its retries stops the workflow (it stays Failed, for the operator to
    /// see), but never silently: the audit says what failed, and the coordinator is told, with a linked round's parent
    /// coordinator too.
    /// </summary>
    public static async Task<RoundOutcome> RunAsync(TaskOrchestrationContext context, RoundInput input)
    {
        var round = new ConsultationRound(context, input);
        try
        {
            return await round.RunAsync();
        }
        catch (TaskFailedException failure)
        {
            var what = $"{failure.TaskName} failed: {failure.FailureDetails.ErrorMessage}";
            round.Log().LogError("Round {RoundId}: the workflow stopped: {Failure}", input.RoundId, what);
            await round.NotifyAsync(new CoordinatorNotice(input.RoundId, NoticeKind.Stopped, input.Iteration, Detail: what));
            throw;
        }
    }

    async Task<RoundOutcome> RunAsync()
    {
        var round = carried is null ? await OpenAsync() : RoundIteration.Resume(carried, warnsBeforeParentDeadline);
        var draft = carried?.Draft;
        if (draft is null)
        {
            if (await CollectAsync(round) is { } ended)
            {
                return ended;
            }

            // The coordinator hears of the draft once every reply in it has its receipt.
            draft = await AssembleDraftAsync(round);
            await receipts.AllSentAsync();
            await NotifyAsync(new CoordinatorNotice(input.RoundId, NoticeKind.PositionReady, draft.Version));
            Log().LogInformation("Round {RoundId}: draft position version {Version} ready for review", input.RoundId, draft.Version);
        }

        return await ReviewAsync(round, draft);
    }

    /// <summary>Opens the iteration (and a linked round where one is needed) and asks every respondent.</summary>
    async Task<RoundIteration> OpenAsync()
    {
        var plan = await context.OpenRoundAsync(input, DefaultRetryPolicy);
        if (plan.NeedsLinkedRound)
        {
            await context.StartLinkedRoundAsync(new LinkedRoundRequest(input.RoundId, input.Iteration), DefaultRetryPolicy);
        }

        await SendAsync(EmailBatch.Requests(input.RoundId, input.Iteration, plan.EmailRecipients));
        Log().LogInformation(
            "Round {RoundId} iteration {Iteration}: {RespondentCount} respondents asked", input.RoundId, input.Iteration, plan.Awaited.Count);
        return new RoundIteration(plan, context.CurrentUtcDateTime, warnsBeforeParentDeadline);
    }

    /// <summary>
    /// Replies come in until everyone has replied or the deadline passes. Meanwhile the reminders go out on time (and a
    /// linked round not approved close to its parent round's deadline warns both coordinators), and the coordinator may
    /// move the deadline, remind on demand, or cancel. Returns how the round ended, if it did (or
    /// went on in a fresh history); null when it is time for the draft.
    /// </summary>
    async Task<RoundOutcome?> CollectAsync(RoundIteration round)
    {
        while (round.CollectionOpen && round.Awaited.Count > 0)
        {
            if (HistoryIsFull)
            {
                return GoOnInFreshHistory(round, draft: null);
            }

            var wakeUp = round.NextWakeUp();
            switch (await inbox.WaitAsync(until: wakeUp))
            {
                case null when wakeUp >= round.Deadline:
                    // The deadline has passed.
                    await CloseRepliesAsync(round);
                    break;
                case null when round.IsParentDeadlineWarning(wakeUp):
                    // A reminder due at the same moment follows on the next pass.
                    await WarnBeforeParentDeadlineAsync(round);
                    break;
                case null:
                    // A reminder is due.
                    round.RemindersDone(upTo: wakeUp);
                    await RemindAsync(round);
                    break;
                case { Kind: RoundSignalKind.Reply } reply:
                    Acknowledge(round, reply);
                    break;
                case { Kind: RoundSignalKind.DeadlineMoved, Deadline: { } moved }:
                    await MoveDeadlineAsync(round, moved);
                    break;
                case { Kind: RoundSignalKind.RemindNow } when !RemindedJustNow(round):
                    await RemindAsync(round);
                    break;
                case { Kind: RoundSignalKind.Cancel } cancel:
                    return await CancelAsync(round, cancel);

                // A review or a settlement before there is a draft has nothing to act on.
            }
        }

        return null;
    }

    /// <summary>
    /// The review. Replies stay open until the deadline, for amendments (nobody is awaited any more, so nobody is
    /// reminded); the coordinator settles items, approves, reopens the divergent items not settled, or cancels. A linked
    /// round still in review close to its parent round's deadline warns both coordinators.
    /// </summary>
    async Task<RoundOutcome> ReviewAsync(RoundIteration round, PositionSummary draft)
    {
        while (true)
        {
            if (HistoryIsFull)
            {
                return GoOnInFreshHistory(round, draft);
            }

            var wakeUp = round.NextWakeUpInReview();
            switch (await inbox.WaitAsync(until: wakeUp))
            {
                case null when round.IsParentDeadlineWarning(wakeUp!.Value):
                    await WarnBeforeParentDeadlineAsync(round);
                    break;
                case null:
                    // The deadline has passed.
                    await CloseRepliesAsync(round);
                    break;
                case { Kind: RoundSignalKind.Reply } amendment:
                    Acknowledge(round, amendment);
                    draft = await AssembleDraftAsync(round);
                    break;
                case { Kind: RoundSignalKind.Settled }:
                    // The coordinator settled an item (stored before the signal): the next draft shows it, and a
                    // reopening then takes only the divergent items still to settle.
                    draft = await AssembleDraftAsync(round);
                    break;
                case { Kind: RoundSignalKind.DeadlineMoved, Deadline: { } moved } when round.CollectionOpen:
                    await MoveDeadlineAsync(round, moved);
                    break;
                case { Kind: RoundSignalKind.Cancel } cancel:
                    return await CancelAsync(round, cancel);
                case { Kind: RoundSignalKind.Review, Decision: ReviewDecision.Approve } approval:
                    return await ApproveAsync(round, approval);
                case { Kind: RoundSignalKind.Review, Decision: ReviewDecision.Reopen } reopen when draft.DivergentItems.Count > 0:
                    return await ReopenAsync(round, draft, reopen);
            }
        }
    }

    /// <summary>
    /// Time to go on in a fresh history: this one has taken <see cref="SignalsPerHistory"/> signals, and this is not its
    /// first step. A fresh history starts with the signals that arrived while the last one ended (the engine carries
    /// them over, and a step takes them all); going on again at once would hand that backlog from history to history, a
    /// hundred at a time, each hand-over waiting for the engine's next queue poll.
    /// </summary>
    bool HistoryIsFull =>
        boundsHistory && inbox.SignalsReceived >= SignalsPerHistory && context.CurrentUtcDateTime > firstStepAt;

    /// <summary>
    /// Goes on from where the round stands in a fresh history, at once: waiting here for receipts on their way would let
    /// signals pile up undelivered. The progress takes along the receipts still to send (one on its way and also sent
    /// from the next history goes out once: the e-mail ledger) and the signals delivered but not yet taken; signals that
    /// arrive after this move to the next history with the engine's carry-over. A signal delivered again later (the
    /// engine delivers at least once) is taken again, which every step allows.
    /// </summary>
    RoundOutcome GoOnInFreshHistory(RoundIteration round, PositionSummary? draft)
    {
        var progress = round.Carry(draft) with { Receipts = receipts.Unsent, Signals = inbox.TakeDelivered() };
        inbox.StopTimer();
        context.ContinueAsNew(new ContinueAsNewOptions
        {
            NewInput = input with { Progress = progress },
            NewVersion = RoundWorkflowVersions.Current,
            PreserveUnprocessedEvents = true,
        });
        return new RoundOutcome(input.RoundId, draft is null ? RoundPhase.Collecting : RoundPhase.Reviewing, round.PositionVersion);
    }

    /// <summary>A reply is in: its author is no longer awaited, and is sent a receipt (Flanders' reply from a linked round is not).</summary>
    void Acknowledge(RoundIteration round, RoundSignal reply)
    {
        round.Awaited.Remove(reply.Participant!);
        if (round.IsEmailed(reply.Participant!))
        {
            receipts.Add(reply);
        }
    }

    /// <summary>
    /// A linked SOIA round is not approved and its COORMULTI round's deadline is close: both coordinators are told, once
    /// (the activity sends nothing where the parent round has closed its replies or ended meanwhile).
    /// </summary>
    async Task WarnBeforeParentDeadlineAsync(RoundIteration round)
    {
        round.ParentDeadlineWarned();
        await NotifyAsync(new CoordinatorNotice(input.RoundId, NoticeKind.ParentDeadlineNear, 1));
        Log().LogInformation("Round {RoundId}: not approved close to the parent round's deadline; both coordinators warned", input.RoundId);
    }

    /// <summary>Reminds everyone still awaited; the activity skips whoever has replied meanwhile.</summary>
    async Task RemindAsync(RoundIteration round)
    {
        var recipients = round.StillToRemind();
        if (recipients.Count == 0)
        {
            return;
        }

        var reminder = round.ReminderSent(context.CurrentUtcDateTime);
        await SendAsync(EmailBatch.Reminders(input.RoundId, input.Iteration, reminder, recipients));
    }

    bool RemindedJustNow(RoundIteration round) =>
        round.LastReminder is { } last && context.CurrentUtcDateTime - last < ReminderOnDemandGap;

    /// <summary>The coordinator moved the deadline: the reminders move with it, and the round's record shows the new one.</summary>
    async Task MoveDeadlineAsync(RoundIteration round, DateTimeOffset deadline)
    {
        round.MoveDeadline(deadline.UtcDateTime, context.CurrentUtcDateTime);
        await context.RecordDeadlineAsync(new DeadlineChange(input.RoundId, deadline), DefaultRetryPolicy);
    }

    /// <summary>
    /// Replies close (once): every reply link now answers that the round is closed. Then the receipts of stored replies
    /// the round was never told of (their host died between storing the reply and signalling the round) go out.
    /// </summary>
    async Task CloseRepliesAsync(RoundIteration round)
    {
        inbox.StopTimer();
        if (round.CollectionOpen)
        {
            round.CollectionOpen = false;
            await context.CloseCollectionAsync(input, DefaultRetryPolicy);
            await SendMissingReceiptsAsync();
        }
    }

    async Task<PositionSummary> AssembleDraftAsync(RoundIteration round)
    {
        round.PositionVersion++;
        return await context.AssemblePositionAsync(new ConsolidationRequest(input.RoundId, round.PositionVersion), DefaultRetryPolicy);
    }

    /// <summary>
    /// The position becomes final, under the name of whoever approved it; a linked round's goes to its parent round. From
    /// <see cref="RoundWorkflowVersions.DistributesFinalPosition"/> on, it then goes to every participant and to the
    /// permanent representation.
    /// </summary>
    async Task<RoundOutcome> ApproveAsync(RoundIteration round, RoundSignal approval)
    {
        await receipts.AllSentAsync();
        await CloseRepliesAsync(round);
        round.PositionVersion++;
        await context.AssemblePositionAsync(
            new ConsolidationRequest(input.RoundId, round.PositionVersion, Final: true, ApprovedBy: approval.Actor), DefaultRetryPolicy);
        if (round.Plan.ParentRoundId is not null)
        {
            // A linked SOIA round: its approved position is Flanders' reply in the COORMULTI round.
            await context.SubmitToParentRoundAsync(input, DefaultRetryPolicy);
        }

        await NotifyAsync(new CoordinatorNotice(input.RoundId, NoticeKind.PositionFinal, round.PositionVersion));
        if (distributesFinalPosition)
        {
            await MailAsync(
                context.DistributeFinalPositionAsync(new FinalPositionDistribution(input.RoundId, round.PositionVersion), EmailRetryPolicy),
                "the final position");
        }

        Log().LogInformation("Round {RoundId}: position approved as final (version {Version})", input.RoundId, round.PositionVersion);
        return new RoundOutcome(input.RoundId, RoundPhase.Final, round.PositionVersion);
    }

    /// <summary>The divergent items go back to the same respondents as the next iteration of this round, with fresh history.</summary>
    async Task<RoundOutcome> ReopenAsync(RoundIteration round, PositionSummary draft, RoundSignal review)
    {
        await receipts.AllSentAsync();
        await CloseRepliesAsync(round);
        var next = new RoundInput(input.RoundId, input.Iteration + 1);
        // Without a new deadline, the next iteration gets as long as this one had.
        var deadline = review.Deadline ?? context.CurrentUtcDateTime.Add(round.Deadline - round.StartedAt);
        await context.ReopenRoundAsync(
            new ReopenRequest(input.RoundId, next.Iteration, draft.DivergentItems, deadline, review.Comments, review.Actor), DefaultRetryPolicy);
        // A fresh history replays nothing of this one, so the next iteration can take the current shape even when this
        // round started on an older one.
        context.ContinueAsNew(
            new ContinueAsNewOptions { NewInput = next, NewVersion = RoundWorkflowVersions.Current, PreserveUnprocessedEvents = true });
        return new RoundOutcome(input.RoundId, RoundPhase.Collecting, draft.Version);
    }

    /// <summary>The coordinator cancels: replies close, and a linked SOIA round still running is cancelled too.</summary>
    async Task<RoundOutcome> CancelAsync(RoundIteration round, RoundSignal cancel)
    {
        inbox.StopTimer();
        await receipts.AllSentAsync();
        await context.CancelRoundAsync(new CancelRequest(input.RoundId, cancel.Comments), DefaultRetryPolicy);
        await SendMissingReceiptsAsync();
        return new RoundOutcome(input.RoundId, RoundPhase.Cancelled, round.PositionVersion);
    }

    /// <summary>Sends a kind of e-mail in batches of <see cref="EmailBatchSize"/>.</summary>
    Task SendAsync(EmailBatch batch)
    {
        var batches = batch.Participants
            .Chunk(EmailBatchSize)
            .Select(chunk => context.SendEmailsAsync(batch with { Participants = chunk }, EmailRetryPolicy));
        return MailAsync(Task.WhenAll(batches), $"{batch.Kind} e-mails");
    }

    Task SendMissingReceiptsAsync() => MailAsync(context.SendMissingReceiptsAsync(input, EmailRetryPolicy), "missing receipts");

    Task NotifyAsync(CoordinatorNotice notice) =>
        MailAsync(context.NotifyCoordinatorAsync(notice, EmailRetryPolicy), $"the coordinator notice {notice.Kind}");

    /// <summary>
    /// Waits for e-mail on its way. A mail outage that outlasts <see cref="EmailRetryPolicy"/> does not stop the round:
    /// it is logged and the round goes on. What was not sent shows in each participant's delivery state, and the
    /// coordinator can remind them later.
    /// </summary>
    async Task MailAsync(Task sending, string what)
    {
        try
        {
            await sending;
        }
        catch (TaskFailedException e)
        {
            Log().LogWarning(
                "Round {RoundId}: {Email} could not be sent; the round goes on: {Failure}", input.RoundId, what, e.FailureDetails.ErrorMessage);
        }
    }

    // Made where it is used: the analyzers accept only a replay-safe logger they can trace to the context.
    ILogger Log() => context.CreateReplaySafeLogger(nameof(ConsultationRound));
}
