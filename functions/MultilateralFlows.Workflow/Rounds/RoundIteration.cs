namespace MultilateralFlows.Rounds;

/// <summary>
/// Where an iteration stands, carried from one orchestration history to the next when a long round continues as new
/// (see <see cref="ConsultationRound.SignalsPerHistory"/>): the plan as it stands now (whoever is still awaited, the
/// deadline, the latest position version; no e-mail recipients, which may be a thousand: <see cref="ViaLinkedRound"/>
/// names who is not one); whether replies are open; the reminder times left and the reminders sent; the draft, once
/// there is one (the round is then in review); the replies whose receipts are still to send; and the signals delivered
/// but not yet taken.
/// </summary>
/// <param name="ViaLinkedRound">The respondents who answer through a linked round; everyone else was asked by e-mail.</param>
public sealed record RoundProgress(
    RoundPlan Plan,
    IReadOnlyList<string> ViaLinkedRound,
    DateTime StartedAt,
    bool CollectionOpen,
    IReadOnlyList<DateTime> ReminderTimes,
    int RemindersSent,
    DateTime? LastReminder,
    PositionSummary? Draft,
    IReadOnlyList<RoundSignal>? Receipts = null,
    IReadOnlyList<RoundSignal>? Signals = null);

/// <summary>
/// Where one iteration of a round stands, as its orchestration keeps it: who is still awaited, whether replies are
/// open, the deadline and the reminder times before it, the reminders sent, and the latest position version. Plain
/// state: the time comes from the orchestration's context, the steps are <see cref="ConsultationRound"/>'s.
/// </summary>
/// <param name="warnsBeforeParentDeadline">
/// Whether the round's orchestrator version wakes up for <see cref="RoundPlan.ParentDeadlineWarningAt"/>
/// (<see cref="RoundWorkflowVersions.WarnsBeforeParentDeadline"/>); an older one replays as it was recorded, without.
/// </param>
sealed class RoundIteration(RoundPlan plan, DateTime startedAt, bool warnsBeforeParentDeadline = false)
{
    readonly List<DateTime> reminderTimes = ReminderTimes(plan.Deadline.UtcDateTime, plan.ReminderOffsets, startedAt);
    int remindersSent;

    public RoundPlan Plan { get; } = plan;

    /// <summary>When the requests had gone out: without a new deadline, a reopened round gets as long as this one had.</summary>
    public DateTime StartedAt { get; } = startedAt;

    public HashSet<string> Awaited { get; } = plan.Awaited.ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whoever answers through a linked round (Flanders, from its SOIA round) and so gets no e-mail from this one; every
    /// other respondent was asked by e-mail. Kept instead of the e-mailed respondents: it is what goes along to a fresh
    /// history, and it has one entry where the respondents may be a thousand.
    /// </summary>
    HashSet<string> ViaLinkedRound { get; init; } =
        plan.Awaited.Except(plan.EmailRecipients, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether a respondent was asked by e-mail (and so gets receipts and reminders).</summary>
    public bool IsEmailed(string participant) => !ViaLinkedRound.Contains(participant);

    public bool CollectionOpen { get; set; } = true;

    /// <summary>The latest position version; drafts of a reopened round continue the numbering.</summary>
    public int PositionVersion { get; set; } = plan.PositionVersion;

    public DateTime Deadline { get; private set; } = plan.Deadline.UtcDateTime;

    public DateTime? LastReminder { get; private set; }

    /// <summary>
    /// For a linked SOIA round: when both coordinators are to be warned that it is not approved yet and the COORMULTI
    /// deadline is close; null when there is no such warning to give (any more).
    /// </summary>
    public DateTime? ParentDeadlineWarningAt { get; private set; } =
        warnsBeforeParentDeadline ? plan.ParentDeadlineWarningAt?.UtcDateTime : null;

    /// <summary>
    /// When the round acts of itself next while it collects: the first reminder before the deadline while anyone is
    /// awaited, or the warning before the parent round's deadline if that is earlier; else the deadline.
    /// </summary>
    public DateTime NextWakeUp()
    {
        var nextReminder = Awaited.Count > 0 ? reminderTimes.Where(t => t < Deadline).Order().FirstOrDefault() : default;
        var next = nextReminder != default ? nextReminder : Deadline;
        return ParentDeadlineWarningAt is { } warning && warning < next ? warning : next;
    }

    /// <summary>
    /// When the round acts of itself next in review: the deadline while replies are open, or the warning before the
    /// parent round's deadline if that is earlier; null when only a signal can move it.
    /// </summary>
    public DateTime? NextWakeUpInReview()
    {
        DateTime? deadline = CollectionOpen ? Deadline : null;
        return ParentDeadlineWarningAt is { } warning && (deadline is null || warning < deadline) ? warning : deadline;
    }

    /// <summary>Whether a wake-up at <paramref name="wokeAt"/> is the warning before the parent round's deadline.</summary>
    public bool IsParentDeadlineWarning(DateTime wokeAt) => ParentDeadlineWarningAt is { } warning && wokeAt >= warning;

    /// <summary>The warning before the parent round's deadline is given (once).</summary>
    public void ParentDeadlineWarned() => ParentDeadlineWarningAt = null;

    /// <summary>The deadline moves, and the reminders with it; those whose time has passed are not sent.</summary>
    public void MoveDeadline(DateTime deadline, DateTime now)
    {
        Deadline = deadline;
        reminderTimes.Clear();
        reminderTimes.AddRange(ReminderTimes(deadline, Plan.ReminderOffsets, now));
    }

    /// <summary>The reminders due by <paramref name="upTo"/> are done with.</summary>
    public void RemindersDone(DateTime upTo) => reminderTimes.RemoveAll(t => t <= upTo);

    /// <summary>Whom a reminder goes to: everyone still awaited who was asked by e-mail.</summary>
    public List<string> StillToRemind() => Awaited.Where(IsEmailed).Order(StringComparer.Ordinal).ToList();

    /// <summary>Counts a reminder sent at <paramref name="now"/>; returns its number in this iteration (1, 2, ...).</summary>
    public int ReminderSent(DateTime now)
    {
        LastReminder = now;
        return ++remindersSent;
    }

    /// <summary>Where this iteration stands, with its draft if it has one, to go on from in a fresh history.</summary>
    public RoundProgress Carry(PositionSummary? draft) => new(
        Plan with
        {
            Awaited = Awaited.Order(StringComparer.Ordinal).ToList(),
            EmailRecipients = [],
            Deadline = new DateTimeOffset(Deadline, TimeSpan.Zero),
            PositionVersion = PositionVersion,
            ParentDeadlineWarningAt = ParentDeadlineWarningAt is { } warning ? new DateTimeOffset(warning, TimeSpan.Zero) : null,
        },
        ViaLinkedRound.Order(StringComparer.Ordinal).ToList(),
        StartedAt, CollectionOpen, reminderTimes.ToList(), remindersSent, LastReminder, draft);

    /// <summary>The iteration as <see cref="Carry"/> left it (the warning still to give, if any, is in its plan).</summary>
    public static RoundIteration Resume(RoundProgress progress, bool warnsBeforeParentDeadline = false)
    {
        var round = new RoundIteration(progress.Plan, progress.StartedAt, warnsBeforeParentDeadline)
        {
            ViaLinkedRound = progress.ViaLinkedRound.ToHashSet(StringComparer.Ordinal),
            CollectionOpen = progress.CollectionOpen,
            LastReminder = progress.LastReminder,
            remindersSent = progress.RemindersSent,
        };
        round.reminderTimes.Clear();
        round.reminderTimes.AddRange(progress.ReminderTimes);
        return round;
    }

    static List<DateTime> ReminderTimes(DateTime deadline, IEnumerable<TimeSpan> offsets, DateTime now) =>
        offsets.Select(offset => deadline - offset).Where(t => t > now).Distinct().Order().ToList();
}
