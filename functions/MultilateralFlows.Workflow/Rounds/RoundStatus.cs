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
    DeliveryState? Delivery = null,
    string? DeliveryDetail = null);

/// <summary>The answer of <c>GET /api/rounds/{id}</c>.</summary>
public sealed record RoundStatus(
    string Id,
    Procedure Procedure,
    string Title,
    string Organisation,
    MeetingKind Kind,
    RoundPhase Phase,
    DateTimeOffset Deadline,
    bool SilenceProcedure,
    DateTimeOffset CreatedAt,
    int PositionVersion,
    string? PositionUrl,
    IReadOnlyList<ParticipantStatus> Participants)
{
    public static RoundStatus From(RoundRecord round, IReadOnlyList<RequestRow> requests, DateTimeOffset now)
    {
        var definition = round.Definition;
        var participants = requests.Count > 0
            ? requests.Select(r => new ParticipantStatus(
                    r.Participant, r.Name, r.Represents, StateOf(r, definition.SilenceProcedure, definition.Deadline, now),
                    r.LatestVersion, r.RequestedAt, r.LastRepliedAt,
                    Enum.TryParse<DeliveryState>(r.DeliveryState, out var delivery) ? delivery : null,
                    string.IsNullOrEmpty(r.DeliveryDetail) ? null : r.DeliveryDetail))
                .OrderBy(p => p.Code, StringComparer.Ordinal)
                .ToList()
            : definition.Participants.Select(code => new ParticipantStatus(code, code, null, ParticipantState.Pending, 0, null, null)).ToList();
        return new RoundStatus(
            definition.Id, definition.Procedure, definition.Title, definition.Organisation, definition.Kind, round.Phase,
            definition.Deadline, definition.SilenceProcedure, definition.CreatedAt, round.PositionVersion,
            round.PositionVersion > 0 ? $"/api/rounds/{definition.Id}/position" : null,
            participants);
    }

    public static ParticipantState StateOf(RequestRow request, bool silenceProcedure, DateTimeOffset deadline, DateTimeOffset now) => request switch
    {
        { LatestVersion: > 1 } => ParticipantState.Amended,
        { LatestVersion: 1 } => ParticipantState.Replied,
        _ when request.Closed || now >= deadline => silenceProcedure ? ParticipantState.Tacit : ParticipantState.Overdue,
        { RequestedAt: null } => ParticipantState.Pending,
        _ => ParticipantState.Requested,
    };
}
