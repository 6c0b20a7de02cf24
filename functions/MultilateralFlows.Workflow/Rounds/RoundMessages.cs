using System.Text.Json.Serialization;
using MultilateralFlows.Email;

namespace MultilateralFlows.Rounds;

/// <summary>
/// What a round orchestration starts with: the round id (the definition is in Table storage) and which iteration of
/// the round this is: 1, then one more each time the coordinator reopens the divergent items. A long iteration goes on
/// in a fresh history from its <see cref="Progress"/>.
/// </summary>
public sealed record RoundInput(string RoundId, int Iteration = 1, RoundProgress? Progress = null);

/// <summary>Who is asked and until when, as the orchestration needs it to wait.</summary>
/// <param name="EmailRecipients">The respondents who get a request e-mail (everyone but a participant answered for by a linked round).</param>
/// <param name="Awaited">Everyone whose reply the round waits for, including a participant whose reply comes from a linked round.</param>
/// <param name="ReminderOffsets">How long before the deadline non-responders are reminded.</param>
/// <param name="NeedsLinkedRound">True when Flanders first agrees its position in a linked SOIA round.</param>
/// <param name="ParentRoundId">For a linked SOIA round: the COORMULTI round its position is for.</param>
/// <param name="PositionVersion">The latest stored position version (drafts of a reopened round continue from it).</param>
/// <param name="ParentDeadlineWarningAt">
/// For a linked SOIA round: when both coordinators are warned, if it is not approved by then, that the COORMULTI deadline
/// is close (<see cref="RoundOptions.ParentDeadlineWarningAt"/>); null once warned, and for every other round. Orchestrator
/// version <see cref="RoundWorkflowVersions.WarnsBeforeParentDeadline"/> on.
/// </param>
public sealed record RoundPlan(
    IReadOnlyList<string> EmailRecipients,
    IReadOnlyList<string> Awaited,
    DateTimeOffset Deadline,
    IReadOnlyList<TimeSpan> ReminderOffsets,
    bool NeedsLinkedRound,
    string? ParentRoundId,
    int PositionVersion,
    DateTimeOffset? ParentDeadlineWarningAt = null);

/// <summary>A batch of e-mails of one kind for one round; batches keep the orchestration history small.</summary>
/// <param name="MessageNumber">
/// The <see cref="EmailKey.MessageNumber"/> of every e-mail in the batch. "Sequence" in JSON: an activity scheduled
/// before a deploy runs after it with the input its history recorded.
/// </param>
public sealed record EmailBatch(
    string RoundId,
    MessageKind Kind,
    [property: JsonPropertyName("Sequence")] int MessageNumber,
    IReadOnlyList<string> Participants)
{
    public static EmailBatch Requests(string roundId, int iteration, IReadOnlyList<string> participants) =>
        new(roundId, MessageKind.Request, iteration, participants);

    public static EmailBatch Reminders(string roundId, int iteration, int reminder, IReadOnlyList<string> participants) =>
        new(roundId, MessageKind.Reminder, EmailKey.ReminderMessageNumber(iteration, reminder), participants);

    /// <summary>The receipts of the replies that made contribution version <paramref name="version"/> of each participant.</summary>
    public static EmailBatch Receipts(string roundId, int version, IReadOnlyList<string> participants) =>
        new(roundId, MessageKind.Receipt, version, participants);
}

/// <summary>Assemble version <see cref="Version"/> of the round's position, as a draft or as the final position.</summary>
/// <param name="ApprovedBy">For the final position: who approved it, as the audit names them (<see cref="RoundSignal.Actor"/>).</param>
public sealed record ConsolidationRequest(string RoundId, int Version, bool Final = false, string? ApprovedBy = null);

/// <summary>Send final position version <see cref="Version"/> to the round's participants and permanent representation.</summary>
public sealed record FinalPositionDistribution(string RoundId, int Version);

/// <summary>
/// What an assembled position says in brief: enough for the orchestration to decide. <see cref="DivergentItems"/> are
/// the divergent items the coordinator has not settled: what a reopening takes.
/// </summary>
public sealed record PositionSummary(int Version, IReadOnlyList<string> DivergentItems);

/// <summary>The coordinator moved the deadline.</summary>
public sealed record DeadlineChange(string RoundId, DateTimeOffset Deadline);

/// <summary>Reopen the divergent items of a round as its next iteration, until a new deadline.</summary>
/// <param name="ReopenedBy">Who reopened them, as the audit names them (<see cref="RoundSignal.Actor"/>).</param>
public sealed record ReopenRequest(
    string RoundId, int Iteration, IReadOnlyList<string> Items, DateTimeOffset Deadline, string? Comments, string? ReopenedBy = null);

/// <summary>Stop a round (and any round linked to it).</summary>
public sealed record CancelRequest(string RoundId, string? Reason);

/// <summary>A linked round to start for a round's iteration.</summary>
public sealed record LinkedRoundRequest(string ParentRoundId, int Iteration);

/// <summary>How a round ended.</summary>
public sealed record RoundOutcome(string RoundId, RoundPhase Phase, int PositionVersion);

/// <summary>What the coordinator decides on a draft position.</summary>
public enum ReviewDecision
{
    Approve,
    Reopen,
}

/// <summary>What can happen to a running round from outside.</summary>
public enum RoundSignalKind
{
    Reply,
    DeadlineMoved,
    RemindNow,
    Review,
    Cancel,

    /// <summary>The coordinator settled an item: in review, the round assembles a draft that shows it.</summary>
    Settled,
}

/// <summary>
/// The one external event a round listens to. Every signal carries an id so that a signal delivered twice is
/// recognised; a reply's id is its participant and version.
/// </summary>
/// <param name="Actor">
/// Who asked, as the audit names them (<see cref="Http.ActingCoordinator"/>): the round records an approval or a reopening
/// under that name. Null in signals sent before it was carried; the audit then says "workflow" as it did.
/// </param>
public sealed record RoundSignal(
    RoundSignalKind Kind,
    string Id,
    string? Participant = null,
    int Version = 0,
    DateTimeOffset? Deadline = null,
    ReviewDecision? Decision = null,
    string? Comments = null,
    string? Actor = null)
{
    public const string EventName = "RoundSignal";

    public static RoundSignal Reply(string participant, int version) =>
        new(RoundSignalKind.Reply, $"reply:{participant}:{version}", participant, version);

    public static RoundSignal MoveDeadline(DateTimeOffset deadline) =>
        new(RoundSignalKind.DeadlineMoved, $"deadline:{Guid.NewGuid():N}", Deadline: deadline);

    public static RoundSignal RemindNow() => new(RoundSignalKind.RemindNow, $"remind:{Guid.NewGuid():N}");

    /// <param name="reopenDeadline">For a reopening: the deadline of the next iteration.</param>
    public static RoundSignal Review(ReviewDecision decision, string? comments, DateTimeOffset? reopenDeadline) =>
        new(RoundSignalKind.Review, $"review:{Guid.NewGuid():N}", Deadline: reopenDeadline, Decision: decision, Comments: comments);

    public static RoundSignal Cancel(string? reason) => new(RoundSignalKind.Cancel, $"cancel:{Guid.NewGuid():N}", Comments: reason);

    /// <summary>An item's settlement, stored at <paramref name="settledAt"/>: the same settlement signalled again is taken once.</summary>
    public static RoundSignal Settled(string itemId, DateTimeOffset settledAt) =>
        new(RoundSignalKind.Settled, $"settled:{itemId}:{settledAt.UtcTicks}");
}
