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

/// <summary>Whether an item can go forward as it stands.</summary>
public enum ItemOutcome
{
    Consensus,
    Divergence,
}

/// <summary>Draft until the coordinator approves it.</summary>
public enum PositionStatus
{
    Draft,
    Final,
}

/// <summary>The answer of one participant on one item.</summary>
public sealed record ItemReply(string ItemId, Stance Stance, string? Remarks);

/// <summary>One stored version of a participant's reply.</summary>
public sealed record Contribution(string Participant, int Version, DateTimeOffset SubmittedAt, IReadOnlyList<ItemReply> Items);
