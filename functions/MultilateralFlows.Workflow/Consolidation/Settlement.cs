namespace MultilateralFlows.Consolidation;

/// <summary>
/// How the coordinator settled an item: what the delegation does with it. In a COORMULTI round the subject is Belgium,
/// in a SOIA round Flanders ("Belgium abstains" in COORMULTI reads "Flanders abstains" in SOIA).
/// </summary>
public enum SettlementKind
{
    /// <summary>
    /// Everyone agrees (at the meeting, say, where an objection was withdrawn): the agreed text, or the draft text when
    /// none is given.
    /// </summary>
    Consensus,

    /// <summary>A compromise text everyone can live with: the text is required.</summary>
    Compromise,

    /// <summary>Belgium (Flanders) abstains on the item; the text, if any, is the explanation to give.</summary>
    Abstain,

    /// <summary>One participant of the round speaks for the others on the item (the lead entity, or in SOIA the lead policy area).</summary>
    LeadEntity,

    /// <summary>Belgium (Flanders) takes no position on the item.</summary>
    NoPosition,
}

/// <summary>
/// The coordinator's settlement of one item: how it was settled, the agreed text, who leads (for
/// <see cref="SettlementKind.LeadEntity"/>), and when. <see cref="DraftVersion"/> is the draft version that was the
/// latest when it was recorded, so a reader can tell which stances it was settled on.
/// </summary>
public sealed record ItemSettlement(
    SettlementKind How,
    string? Text,
    string? LeadEntity,
    string? LeadEntityName,
    DateTimeOffset SettledAt,
    int DraftVersion);
