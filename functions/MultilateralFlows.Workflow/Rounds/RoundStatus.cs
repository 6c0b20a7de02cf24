using MultilateralFlows.Housekeeping;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds;

/// <summary>Where a participant stands in a round.</summary>
public enum ParticipantState
{
    /// <summary>The request e-mail has not gone out yet.</summary>
    Pending,
    Requested,
    Replied,
    Amended,

    /// <summary>No reply and the deadline has passed.</summary>
    Overdue,

    /// <summary>No reply by the deadline under the silence procedure: counted as agreeing.</summary>
    Tacit,
}

/// <summary>
/// A participant in the round status. <see cref="Delivery"/> is how far the latest e-mail to it got (with the reason
/// when it did not arrive); the <see cref="State"/> stays about replies, so a participant that was never reached reads
/// <c>Pending</c> (then <c>Overdue</c>) with delivery <c>Undeliverable</c>.
/// </summary>
public sealed record ParticipantStatus(
    string Code,
    string Name,
    string? Represents,
    ParticipantState State,
    int Version,
    DateTimeOffset? RequestedAt,
    DateTimeOffset? LastRepliedAt,
    string? LinkedRoundId,
    DeliveryState? Delivery = null,
    string? DeliveryDetail = null);

/// <summary>
/// An item as it stands on the replies so far. <see cref="Objections"/> are those that count: objections of entities not
/// competent for the item (<see cref="Competence"/>) are in the position, but do not make the item divergent.
/// <see cref="Settled"/> is how the coordinator settled it, if they did.
/// </summary>
public sealed record ItemStatus(
    string ItemId,
    string Title,
    bool Open,
    ItemOutcome Outcome,
    int Replies,
    IReadOnlyList<string> Objections,
    SettlementKind? Settled = null,
    Competence Competence = Competence.Mixed,
    string? LeadEntity = null);

/// <summary>A linked round in brief: Flanders' SOIA round seen from its COORMULTI round, or the other way round.</summary>
public sealed record LinkedRoundStatus(string Id, Procedure Procedure, RoundPhase Phase, DateTimeOffset Deadline, int Replied, int Asked);

/// <summary>
/// A contribution that came after replies closed (Flanders' position from a linked SOIA round approved too late), as the
/// round status shows it: <see cref="Decision"/> is null while it waits for the coordinator, then Accepted (as
/// <see cref="AcceptedVersion"/>) or Declined.
/// </summary>
public sealed record LateContributionStatus(
    string Participant,
    string FromRoundId,
    int FromVersion,
    DateTimeOffset ReceivedAt,
    int Items,
    LateDecision? Decision,
    DateTimeOffset? DecidedAt,
    int? AcceptedVersion,
    string DecisionUrl)
{
    public static LateContributionStatus From(LateContributionRow row) => new(
        row.Participant, row.FromRoundId, row.FromVersion, row.ReceivedAt, row.ItemCount,
        Enum.TryParse<LateDecision>(row.Decision, out var decision) ? decision : null,
        row.DecidedAt, row.AcceptedVersion, $"/api/rounds/{row.PartitionKey}/late-contributions/{row.Participant}");
}

/// <summary>The answer of <c>GET /api/rounds/{id}</c>.</summary>
/// <param name="PermanentRepresentation">The addresses the final position goes to besides the participants; left out when none.</param>
/// <param name="CoordinatorEmail">Who coordinates this round: gets its notices, and reviews it.</param>
/// <param name="SoiaCoordinatorEmail">A COORMULTI round only, when its request named one: who coordinates its linked SOIA round.</param>
/// <param name="LateContribution">Flanders' position held after replies closed, if one came (see <see cref="LateContributionStatus"/>).</param>
/// <param name="CoordinatorLanguage">The language of the coordinator's notices, where the round has its own (else the setting's).</param>
public sealed record RoundStatus(
    string Id,
    Procedure Procedure,
    string Title,
    string Organisation,
    MeetingKind Kind,
    RoundPhase Phase,
    int Iteration,
    DateTimeOffset Deadline,
    bool AcceptingReplies,
    bool SilenceProcedure,
    DateTimeOffset CreatedAt,
    int PositionVersion,
    string? PositionUrl,
    string? ParentRoundId,
    IReadOnlyList<LinkedRoundStatus> LinkedRounds,
    IReadOnlyList<ParticipantStatus> Participants,
    IReadOnlyList<ItemStatus> Items,
    IReadOnlyList<RepresentationAddress>? PermanentRepresentation = null,
    string? CoordinatorEmail = null,
    string? SoiaCoordinatorEmail = null,
    LateContributionStatus? LateContribution = null,
    string? CoordinatorLanguage = null)
{
    /// <param name="round">The round.</param>
    /// <param name="requests">Its request rows (none before the round opened).</param>
    /// <param name="soFar">The position as the replies so far make it.</param>
    /// <param name="linked">Linked rounds: the parent and any child.</param>
    /// <param name="now">The time, for overdue.</param>
    /// <param name="late">A late contribution held for the round, if any.</param>
    public static RoundStatus From(
        RoundRecord round,
        IReadOnlyList<RequestRow> requests,
        PositionDocument soFar,
        IReadOnlyList<LinkedRoundStatus> linked,
        DateTimeOffset now,
        LateContributionRow? late = null)
    {
        var definition = round.Definition;
        var participants = ParticipantsOf(round, requests, now);
        var items = soFar.Items.Select(item => new ItemStatus(
                item.ItemId,
                item.Title,
                round.IsOpen(item.ItemId),
                item.Outcome,
                item.Stances.Count(s => s.Stance != PositionStance.NoReply && !s.Tacit),
                item.Stances.Where(s => s.Competent && s.Stance == PositionStance.Objection).Select(s => s.Participant).ToList(),
                item.Settlement?.How,
                item.Competence,
                item.LeadEntity))
            .ToList();
        return new RoundStatus(
            definition.Id, definition.Procedure, definition.Title, definition.Organisation, definition.Kind, round.Phase, round.Iteration,
            definition.Deadline, round.IsActive && round.CollectionClosedAt is null, definition.SilenceProcedure, definition.CreatedAt,
            round.PositionVersion, round.PositionVersion > 0 ? $"/api/rounds/{definition.Id}/position" : null,
            definition.ParentRoundId, linked, participants, items,
            definition.PermanentRepresentation is { Count: > 0 } representation ? representation : null,
            definition.CoordinatorEmail, definition.SoiaCoordinatorEmail, late is null ? null : LateContributionStatus.From(late),
            definition.CoordinatorLanguage);
    }

    /// <summary>
    /// Each participant's reply and delivery, from its request row (before the round opened: every participant pending).
    /// Needs no contribution: what the console's participants table reads as often as it refreshes.
    /// </summary>
    public static IReadOnlyList<ParticipantStatus> ParticipantsOf(RoundRecord round, IReadOnlyList<RequestRow> requests, DateTimeOffset now)
    {
        var definition = round.Definition;
        return requests.Count > 0
            ? requests.Select(r => new ParticipantStatus(
                    r.Participant, r.Name, r.Represents, StateOf(r, definition.SilenceProcedure, definition.Deadline, now),
                    r.LatestVersion, r.RequestedAt, r.LastRepliedAt, r.LinkedRoundId,
                    Enum.TryParse<DeliveryState>(r.DeliveryState, out var delivery) ? delivery : null,
                    string.IsNullOrEmpty(r.DeliveryDetail) ? null : r.DeliveryDetail))
                .OrderBy(p => p.Code, StringComparer.Ordinal)
                .ToList()
            : definition.Participants.Select(code => new ParticipantStatus(code, code, null, ParticipantState.Pending, 0, null, null, null)).ToList();
    }

    public static ParticipantState StateOf(RequestRow request, bool silenceProcedure, DateTimeOffset deadline, DateTimeOffset now) => request switch
    {
        { LatestVersion: > 1 } => ParticipantState.Amended,
        { LatestVersion: 1 } => ParticipantState.Replied,
        _ when request.Closed || now >= deadline => silenceProcedure ? ParticipantState.Tacit : ParticipantState.Overdue,
        { RequestedAt: null, LinkedRoundId: null } => ParticipantState.Pending,
        _ => ParticipantState.Requested,
    };
}

/// <summary>One round in <c>GET /api/rounds</c>.</summary>
/// <remarks>
/// <see cref="StuckSince"/> and <see cref="StuckWorkflow"/> are there only for an open round the housekeeping watchdog
/// found without a running workflow (as of its last check).
/// </remarks>
public sealed record RoundSummary(
    string Id, Procedure Procedure, string Title, string Organisation, MeetingKind Kind, RoundPhase Phase, int Iteration,
    DateTimeOffset Deadline, DateTimeOffset CreatedAt, string? ParentRoundId, string StatusUrl,
    DateTimeOffset? StuckSince = null, StuckWorkflow? StuckWorkflow = null)
{
    public static RoundSummary From(RoundIndexRow row) => new(
        row.RoundId, Enum.Parse<Procedure>(row.Procedure), row.Title, row.Organisation, Enum.Parse<MeetingKind>(row.Kind),
        Enum.Parse<RoundPhase>(row.Phase), row.Iteration, row.Deadline, row.CreatedAt, row.ParentRoundId, $"/api/rounds/{row.RoundId}",
        row.StuckSince, row.StuckSince is null ? null : Stuck(row.StuckWorkflow));

    static StuckWorkflow Stuck(string? workflow) =>
        Enum.TryParse<StuckWorkflow>(workflow, out var found) ? found : Housekeeping.StuckWorkflow.Missing;
}

/// <summary>The answer of <c>GET /api/rounds</c>: a page of rounds, newest first.</summary>
public sealed record RoundList(IReadOnlyList<RoundSummary> Rounds, string? ContinuationToken);

/// <summary>The answer of <c>GET /api/rounds/{id}/audit</c>.</summary>
public sealed record AuditTrail(string RoundId, IReadOnlyList<AuditEntry> Entries);

public sealed record AuditEntry(DateTimeOffset At, string Action, string Actor, string Detail);
