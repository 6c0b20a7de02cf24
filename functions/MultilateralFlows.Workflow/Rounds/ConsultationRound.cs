using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Rounds;

/// <summary>
/// The consultation round, top to bottom: open the round (and a linked SOIA round where Flanders first agrees its own
/// position), ask every respondent by e-mail, collect replies until everyone has answered or the deadline passes, put a
/// draft position before the coordinator, and act on the review: approve it as final, or reopen the divergent items as
/// the next iteration. Pure orchestration code: time, ids and I/O come from the context and from activities.
/// </summary>
public static class ConsultationRound
{
    /// <summary>E-mails go out in batches of this many participants: few activities, small history.</summary>
    public const int EmailBatchSize = 25;

    /// <summary>
    /// At most this many receipts are on their way at once. Activities leave their queue first in, first out: a burst of
    /// hundreds of receipts scheduled together would hold back the draft position that the last reply calls for.
    /// </summary>
    public const int ReceiptsPerTrip = 2 * EmailBatchSize;

    static readonly TaskOptions CallsOut = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <summary>E-mail rides out a mail-service outage of about three quarters of an hour before the round gives up on that message.</summary>
    static readonly TaskOptions MailsOut = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 10, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(10)));

    public static async Task<RoundOutcome> RunAsync(TaskOrchestrationContext context, RoundInput input)
    {
        var log = context.CreateReplaySafeLogger(nameof(ConsultationRound));
        var plan = await context.CallActivityAsync<RoundPlan>(nameof(OpenRound), input, CallsOut);
        if (plan.NeedsLinkedRound)
        {
            await context.CallActivityAsync<string>(nameof(StartLinkedRound), new LinkedRoundRequest(input.RoundId, input.Iteration), CallsOut);
        }

        await SendAsync(context, new EmailBatch(input.RoundId, MessageKind.Request, input.Iteration, plan.EmailRecipients));
        log.LogInformation("Round {RoundId} iteration {Iteration}: {RespondentCount} respondents asked", input.RoundId, input.Iteration, plan.Awaited.Count);

        var round = new RoundProgress(context, input, plan);
        var collected = await CollectRepliesAsync(round);
        if (collected is CollectionEnd.Cancelled)
        {
            return await CancelAsync(context, round);
        }

        var draft = await AssembleDraftAsync(round);
        await round.ReceiptsSentAsync();
        await NotifyAsync(context, new CoordinatorNotice(input.RoundId, NoticeKind.PositionReady, draft.Version));
        log.LogInformation("Round {RoundId}: draft position version {Version} ready for review", input.RoundId, draft.Version);

        while (true)
        {
            var next = await round.NextAsync();
            switch (next)
            {
                case { Kind: RoundSignalKind.Reply } reply:
                    // An amendment after the draft: the coordinator reviews the latest answers.
                    round.Acknowledge(reply);
                    draft = await AssembleDraftAsync(round);
                    break;
                case { Kind: RoundSignalKind.Cancel }:
                    return await CancelAsync(context, round);
                case { Kind: RoundSignalKind.Review, Decision: ReviewDecision.Approve }:
                    return await ApproveAsync(context, round, log);
                case { Kind: RoundSignalKind.Review, Decision: ReviewDecision.Reopen } reopen when draft.DivergentItems.Count > 0:
                    await ReopenAsync(context, round, draft, reopen);
                    return new RoundOutcome(input.RoundId, RoundPhase.Collecting, draft.Version);
            }
        }
    }

    enum CollectionEnd
    {
        EveryoneReplied,
        DeadlinePassed,
        Cancelled,
    }

    /// <summary>Waits for a reply from everyone awaited, or for the deadline, whichever comes first.</summary>
    static async Task<CollectionEnd> CollectRepliesAsync(RoundProgress round)
    {
        while (round.Awaited.Count > 0)
        {
            var next = await round.NextAsync();
            switch (next)
            {
                case null:
                    return CollectionEnd.DeadlinePassed;
                case { Kind: RoundSignalKind.Reply } reply:
                    round.Acknowledge(reply);
                    break;
                case { Kind: RoundSignalKind.Cancel }:
                    return CollectionEnd.Cancelled;
            }
        }

        return CollectionEnd.EveryoneReplied;
    }

    static async Task<PositionSummary> AssembleDraftAsync(RoundProgress round)
    {
        round.PositionVersion++;
        return await round.Context.CallActivityAsync<PositionSummary>(
            nameof(AssemblePosition), new ConsolidationRequest(round.Input.RoundId, round.PositionVersion), CallsOut);
    }

    static async Task<RoundOutcome> ApproveAsync(TaskOrchestrationContext context, RoundProgress round, ILogger log)
    {
        var roundId = round.Input.RoundId;
        await round.ReceiptsSentAsync();
        await round.CloseCollectionAsync();
        round.PositionVersion++;
        await context.CallActivityAsync<PositionSummary>(nameof(AssemblePosition), new ConsolidationRequest(roundId, round.PositionVersion, Final: true), CallsOut);
        if (round.Plan.ParentRoundId is not null)
        {
            // A linked SOIA round: its approved position is Flanders' reply in the COORMULTI round.
            await context.CallActivityAsync<bool>(nameof(SubmitToParentRound), new RoundInput(roundId, round.Input.Iteration), CallsOut);
        }

        await NotifyAsync(context, new CoordinatorNotice(roundId, NoticeKind.PositionFinal, round.PositionVersion));
        log.LogInformation("Round {RoundId}: position approved as final (version {Version})", roundId, round.PositionVersion);
        return new RoundOutcome(roundId, RoundPhase.Final, round.PositionVersion);
    }

    /// <summary>The divergent items go back to the same respondents as the next iteration of this round, with fresh history.</summary>
    static async Task ReopenAsync(TaskOrchestrationContext context, RoundProgress round, PositionSummary draft, RoundSignal review)
    {
        await round.ReceiptsSentAsync();
        await round.CloseCollectionAsync();
        var iteration = round.Input.Iteration + 1;
        // Without a new deadline, the next iteration gets as long as this one had.
        var deadline = review.Deadline ?? context.CurrentUtcDateTime.Add(round.Deadline - round.StartedAt);
        await context.CallActivityAsync<bool>(
            nameof(ReopenRound), new ReopenRequest(round.Input.RoundId, iteration, draft.DivergentItems, deadline, review.Comments), CallsOut);
        context.ContinueAsNew(new RoundInput(round.Input.RoundId, iteration), preserveUnprocessedEvents: true);
    }

    static async Task<RoundOutcome> CancelAsync(TaskOrchestrationContext context, RoundProgress round)
    {
        round.StopWaiting();
        await round.ReceiptsSentAsync();
        await context.CallActivityAsync<bool>(nameof(CancelRound), new CancelRequest(round.Input.RoundId, round.LastSignal?.Comments), CallsOut);
        await SendMissingReceiptsAsync(context, round.Input);
        return new RoundOutcome(round.Input.RoundId, RoundPhase.Cancelled, round.PositionVersion);
    }

    /// <summary>
    /// Sends a kind of e-mail in batches. A mail outage that outlasts the retries does not stop the round: the
    /// messages not sent show in each participant's delivery state, and the coordinator can remind them later.
    /// </summary>
    internal static async Task SendAsync(TaskOrchestrationContext context, EmailBatch batch)
    {
        try
        {
            await Task.WhenAll(batch.Participants
                .Chunk(EmailBatchSize)
                .Select(chunk => context.CallActivityAsync<int>(nameof(SendEmails), batch with { Participants = chunk }, MailsOut)));
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(ConsultationRound)).LogWarning(
                "Round {RoundId}: {MessageKind} e-mails could not all be sent: {Failure}", batch.RoundId, batch.Kind, e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>
    /// Once replies are closed, a receipt for every stored reply the round was never told of (its host died between
    /// storing the reply and signalling the round). Like all e-mail, a lasting outage is logged, not fatal.
    /// </summary>
    static async Task SendMissingReceiptsAsync(TaskOrchestrationContext context, RoundInput input)
    {
        try
        {
            await context.CallActivityAsync<int>(nameof(SendMissingReceipts), input, MailsOut);
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(ConsultationRound)).LogWarning(
                "Round {RoundId}: missing receipts could not be sent: {Failure}", input.RoundId, e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>Tells the coordinator; like participant e-mail, a lasting mail outage is logged, not fatal to the round.</summary>
    static async Task NotifyAsync(TaskOrchestrationContext context, CoordinatorNotice notice)
    {
        try
        {
            await context.CallActivityAsync<bool>(nameof(NotifyCoordinator), notice, MailsOut);
        }
        catch (TaskFailedException e)
        {
            context.CreateReplaySafeLogger(nameof(ConsultationRound)).LogWarning(
                "Round {RoundId}: the coordinator notice {NoticeKind} could not be sent: {Failure}", notice.RoundId, notice.Kind, e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>
    /// The running state of one iteration and the housekeeping around waiting: the deadline and reminder timers, moved
    /// deadlines, reminders on demand, and signals delivered twice. <see cref="NextAsync"/> hands the process only what
    /// changes its course: a reply, a review, a cancellation, or null when the deadline has passed.
    /// </summary>
    sealed class RoundProgress(TaskOrchestrationContext context, RoundInput input, RoundPlan plan)
    {
        /// <summary>A second reminder on demand within this time is taken for a double click and not sent.</summary>
        static readonly TimeSpan ReminderOnDemandGap = TimeSpan.FromMinutes(10);

        readonly HashSet<string> handledSignals = new(StringComparer.Ordinal);
        readonly List<RoundSignal> unacknowledged = [];
        readonly List<DateTime> reminderTimes = ReminderTimes(plan.Deadline.UtcDateTime, plan.ReminderOffsets, context.CurrentUtcDateTime);
        Task<RoundSignal>? pendingSignal;
        Task? receiptsInFlight;
        DurableTimer? timer;
        DateTime deadline = plan.Deadline.UtcDateTime;
        int remindersSent;
        DateTime? lastReminder;

        public TaskOrchestrationContext Context { get; } = context;

        public RoundInput Input { get; } = input;

        public RoundPlan Plan { get; } = plan;

        public DateTime StartedAt { get; } = context.CurrentUtcDateTime;

        public HashSet<string> Awaited { get; } = plan.Awaited.ToHashSet(StringComparer.Ordinal);

        public bool CollectionOpen { get; private set; } = true;

        /// <summary>The latest position version; drafts of a reopened round continue the numbering.</summary>
        public int PositionVersion { get; set; } = plan.PositionVersion;

        public DateTime Deadline => deadline;

        public RoundSignal? LastSignal { get; private set; }

        public async Task<RoundSignal?> NextAsync()
        {
            // Bounded: each pass consumes one signal sent by a person (or delivered twice), one of the few reminder
            // timers, or a batch of receipts; the deadline ends it. History stays proportional to what people did.
#pragma warning disable DURABLE0011
            while (true)
#pragma warning restore DURABLE0011
            {
                pendingSignal ??= Context.WaitForExternalEvent<RoundSignal>(RoundSignal.EventName);
                SendReceipts();
                var wakeUp = NextWakeUp();
                var waits = new List<Task> { pendingSignal };
                if (TimerFor(wakeUp) is { } due)
                {
                    waits.Add(due);
                }

                if (receiptsInFlight is not null)
                {
                    waits.Add(receiptsInFlight);
                }

                var first = await Task.WhenAny(waits);
                if (first == receiptsInFlight)
                {
                    // The receipts are out: send those of the replies that came in meanwhile.
                    await receiptsInFlight;
                    receiptsInFlight = null;
                    continue;
                }

                if (first != pendingSignal)
                {
                    timer = null;
                    if (await OnTimerAsync(wakeUp!.Value))
                    {
                        return null;
                    }

                    continue;
                }

                var signal = await pendingSignal;
                pendingSignal = null;
                if (!handledSignals.Add(signal.Id))
                {
                    continue;
                }

                LastSignal = signal;
                switch (signal.Kind)
                {
                    case RoundSignalKind.DeadlineMoved when CollectionOpen && signal.Deadline is { } moved:
                        deadline = moved.UtcDateTime;
                        reminderTimes.Clear();
                        reminderTimes.AddRange(ReminderTimes(deadline, Plan.ReminderOffsets, Context.CurrentUtcDateTime));
                        await Context.CallActivityAsync<bool>(nameof(RecordDeadline), new DeadlineChange(Input.RoundId, moved), CallsOut);
                        break;
                    case RoundSignalKind.RemindNow when CollectionOpen && (lastReminder is null || Context.CurrentUtcDateTime - lastReminder >= ReminderOnDemandGap):
                        await RemindAsync();
                        break;
                    case RoundSignalKind.Reply or RoundSignalKind.Review or RoundSignalKind.Cancel:
                        return signal;
                }
            }
        }

        /// <summary>
        /// Takes note of a reply; its receipt goes out in the next batch. A participant's versions that wait for the same
        /// batch get one receipt, for the latest: a burst of amendments from one link is one e-mail, not one per version.
        /// </summary>
        public void Acknowledge(RoundSignal reply)
        {
            Awaited.Remove(reply.Participant!);
            if (Plan.EmailRecipients.Contains(reply.Participant!))
            {
                unacknowledged.RemoveAll(waiting => waiting.Participant == reply.Participant && waiting.Version < reply.Version);
                if (!unacknowledged.Any(waiting => waiting.Participant == reply.Participant))
                {
                    unacknowledged.Add(reply);
                }
            }
        }

        /// <summary>Every receipt is sent: before the coordinator is told, and before the round moves on or ends.</summary>
        public async Task ReceiptsSentAsync()
        {
            SendReceipts();
            while (receiptsInFlight is { } inFlight)
            {
                await inFlight;
                receiptsInFlight = null;
                SendReceipts();
            }
        }

        /// <summary>
        /// Sends the receipts of the replies handled since the last batch (the oldest <see cref="ReceiptsPerTrip"/>), one
        /// batch per reply version, unless a batch is still on its way: replies that come in meanwhile wait for it and go
        /// in the next. So a round sends few receipt activities per engine round trip rather than one per reply, and
        /// never waits for one to handle the next reply.
        /// </summary>
        void SendReceipts()
        {
            if (receiptsInFlight is null && unacknowledged.Count > 0)
            {
                var trip = unacknowledged.Take(ReceiptsPerTrip).ToList();
                unacknowledged.RemoveRange(0, trip.Count);
                receiptsInFlight = Task.WhenAll(trip
                    .GroupBy(r => r.Version)
                    .Select(sameVersion => SendAsync(Context, new EmailBatch(Input.RoundId, MessageKind.Receipt, sameVersion.Key, sameVersion.Select(r => r.Participant!).ToList())))
                    .ToList());
            }
        }

        /// <summary>
        /// The durable timer for the next wake-up. The one already running is kept while the wake-up stays the same,
        /// so waiting for the next reply adds nothing to the history; a moved deadline or a closed collection cancels it.
        /// </summary>
        Task? TimerFor(DateTime? wakeUp)
        {
            if (timer is not null && timer.At != wakeUp)
            {
                timer.Cancel();
                timer = null;
            }

            if (wakeUp is { } at && timer is null)
            {
                timer = new DurableTimer(Context, at);
            }

            return timer?.Fired;
        }

        /// <summary>A durable timer and the means to stop waiting for it.</summary>
        sealed class DurableTimer
        {
            readonly CancellationTokenSource cancellation = new();

            public DurableTimer(TaskOrchestrationContext context, DateTime at)
            {
                At = at;
                Fired = context.CreateTimer(at, cancellation.Token);
            }

            public DateTime At { get; }

            public Task Fired { get; }

            // Cancelled synchronously: an orchestrator must not hand continuations to the thread pool.
            public void Cancel()
            {
                cancellation.Cancel();
                cancellation.Dispose();
            }
        }

        /// <summary>
        /// No timer of this iteration is waited for any more: an orchestration with a timer neither fired nor
        /// cancelled does not complete (seen on the Durable Task worker), so every way out of a round cancels it.
        /// </summary>
        public void StopWaiting() => TimerFor(null);

        public async Task CloseCollectionAsync()
        {
            StopWaiting();
            if (CollectionOpen)
            {
                CollectionOpen = false;
                await Context.CallActivityAsync<bool>(nameof(CloseCollection), Input, CallsOut);
                await SendMissingReceiptsAsync(Context, Input);
            }
        }

        /// <summary>True when the deadline has passed (and the collection is now closed); false after a reminder.</summary>
        async Task<bool> OnTimerAsync(DateTime firedFor)
        {
            if (CollectionOpen && firedFor >= deadline)
            {
                await CloseCollectionAsync();
                return true;
            }

            reminderTimes.RemoveAll(t => t <= firedFor);
            await RemindAsync();
            return false;
        }

        /// <summary>Reminds everyone still awaited; the activity skips whoever has replied meanwhile.</summary>
        async Task RemindAsync()
        {
            var recipients = Awaited.Where(Plan.EmailRecipients.Contains).Order(StringComparer.Ordinal).ToList();
            if (recipients.Count == 0)
            {
                return;
            }

            remindersSent++;
            lastReminder = Context.CurrentUtcDateTime;
            await SendAsync(Context, new EmailBatch(Input.RoundId, MessageKind.Reminder, RoundVersions.ReminderSequence(Input.Iteration, remindersSent), recipients));
        }

        DateTime? NextWakeUp()
        {
            if (!CollectionOpen)
            {
                return null;
            }

            var nextReminder = Awaited.Count > 0 ? reminderTimes.Where(t => t < deadline).Order().FirstOrDefault() : default;
            return nextReminder != default ? nextReminder : deadline;
        }

        static List<DateTime> ReminderTimes(DateTime deadline, IEnumerable<TimeSpan> offsets, DateTime now) =>
            offsets.Select(offset => deadline - offset).Where(t => t > now).Distinct().Order().ToList();
    }
}

/// <summary>Numbers that must not collide between iterations of a round.</summary>
public static class RoundVersions
{
    /// <summary>Reminder n of iteration i: 100·i + n, so each reminder is its own message, sent once.</summary>
    public static int ReminderSequence(int iteration, int reminder) => (iteration * 100) + reminder;
}
