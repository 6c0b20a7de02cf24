using MultilateralFlows.Email;

namespace MultilateralFlows.Rounds;

/// <summary>What a round orchestration starts with: only the id; the definition is in Table storage.</summary>
public sealed record RoundInput(string RoundId);

/// <summary>Who is asked and until when, as the orchestration needs it to wait.</summary>
public sealed record RoundPlan(IReadOnlyList<string> Respondents, DateTimeOffset Deadline);

/// <summary>
/// A batch of e-mails of one kind for one round; batches keep the orchestration history small. The sequence is 0 for
/// the request, the reminder number for a reminder, the contribution version for a receipt.
/// </summary>
public sealed record EmailBatch(string RoundId, MessageKind Kind, int Sequence, IReadOnlyList<string> Participants);

/// <summary>
/// A notice to the round's coordinator: <see cref="NoticeKind.PositionReady"/> or <see cref="NoticeKind.Final"/> with
/// the position version as sequence; <see cref="NoticeKind.Undeliverable"/> or <see cref="NoticeKind.Unconfirmed"/>
/// with the participant and sequence 0.
/// </summary>
public sealed record CoordinatorNotice(string RoundId, NoticeKind Notice, int Sequence, string? Participant = null);

/// <summary>Assemble version <see cref="Version"/> of the round's position.</summary>
public sealed record ConsolidationRequest(string RoundId, int Version);

/// <summary>How a round ended.</summary>
public sealed record RoundOutcome(string RoundId, RoundPhase Phase, int PositionVersion);

/// <summary>What can happen to a running round from outside.</summary>
public enum RoundSignalKind
{
    Reply,
}

/// <summary>
/// The one external event a round listens to. Every signal carries an id so that a signal delivered twice is
/// recognised; a reply's id is its participant and version.
/// </summary>
public sealed record RoundSignal(RoundSignalKind Kind, string Id, string? Participant = null, int Version = 0)
{
    public const string EventName = "RoundSignal";

    public static RoundSignal Reply(string participant, int version) =>
        new(RoundSignalKind.Reply, $"reply:{participant}:{version}", participant, version);
}
