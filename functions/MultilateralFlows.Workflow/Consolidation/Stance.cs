namespace MultilateralFlows.Consolidation;

/// <summary>A participant's answer on one agenda item.</summary>
public enum Stance
{
    Agree,
    AgreeWithRemarks,
    Objection,
    NotCompetent,
}

/// <summary>A stance as it appears in a position: a reply, or the absence of one.</summary>
public enum PositionStance
{
    Agree,
    AgreeWithRemarks,
    Objection,
    NotCompetent,
    NoReply,
}

public static class StanceExtensions
{
    /// <summary>A reply's stance as a position shows it: one mapping, so the two enums can never drift by name.</summary>
    public static PositionStance InPosition(this Stance stance) => stance switch
    {
        Stance.Agree => PositionStance.Agree,
        Stance.AgreeWithRemarks => PositionStance.AgreeWithRemarks,
        Stance.Objection => PositionStance.Objection,
        Stance.NotCompetent => PositionStance.NotCompetent,
        _ => throw new ArgumentOutOfRangeException(nameof(stance)),
    };

    /// <summary>A position's stance as the reply it came from: there is none for <see cref="PositionStance.NoReply"/>.</summary>
    public static Stance AsReply(this PositionStance stance) => stance switch
    {
        PositionStance.Agree => Stance.Agree,
        PositionStance.AgreeWithRemarks => Stance.AgreeWithRemarks,
        PositionStance.Objection => Stance.Objection,
        PositionStance.NotCompetent => Stance.NotCompetent,
        _ => throw new ArgumentOutOfRangeException(nameof(stance), "A participant that did not reply has no stance to combine."),
    };
}

/// <summary>Whether an item can go forward as it stands.</summary>
public enum ItemOutcome
{
    /// <summary>Nobody objects, and at least one participant agrees (silence counts as agreeing where the round says so).</summary>
    Consensus,

    /// <summary>At least one participant objects.</summary>
    Divergence,

    /// <summary>
    /// Nobody objects, but nobody agrees either: no reply, or only "not competent". Not a consensus: there is nothing a
    /// delegation could put forward on the item.
    /// </summary>
    NoAgreement,
}

/// <summary>Draft until the coordinator approves it.</summary>
public enum PositionStatus
{
    Draft,
    Final,
}

/// <summary>
/// The answer of one participant on one item. Where the answer speaks for several (Flanders' approved SOIA position),
/// <see cref="Contributors"/> holds each area's own stance and remarks, so that who said what is kept as structure and
/// never has to be read back out of one text; <see cref="Remarks"/> is then empty. Equal answers are equal by value,
/// contributors included.
/// </summary>
public sealed record ItemReply(string ItemId, Stance Stance, string? Remarks, IReadOnlyList<ParticipantStance>? Contributors = null)
{
    public bool Equals(ItemReply? other) =>
        other is not null
        && ItemId == other.ItemId
        && Stance == other.Stance
        && Remarks == other.Remarks
        && (Contributors ?? []).SequenceEqual(other.Contributors ?? []);

    public override int GetHashCode() => HashCode.Combine(ItemId, Stance, Remarks, Contributors?.Count ?? 0);
}

/// <summary>One stored version of a participant's reply.</summary>
public sealed record Contribution(string Participant, int Version, DateTimeOffset SubmittedAt, IReadOnlyList<ItemReply> Items);
