using System.Text.Json.Serialization;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Consolidation;

/// <summary>
/// The consolidated position of a round: per item, who said what and who did not reply. <see cref="ReplyVersions"/> is
/// the reply version of each participant it was assembled from, so an approval can tell whether newer replies exist.
/// </summary>
public sealed record PositionDocument(
    string RoundId,
    Procedure Procedure,
    string Title,
    string Organisation,
    MeetingKind Kind,
    int Version,
    PositionStatus Status,
    DateTimeOffset Deadline,
    DateTimeOffset AssembledAt,
    bool SilenceProcedure,
    IReadOnlyList<PositionItem> Items,
    IReadOnlyDictionary<string, int>? ReplyVersions = null);

/// <summary>
/// One item of a position. <see cref="Settlement"/> is how the coordinator settled it, if they did: a divergent item
/// must be settled (or reopened) before the position can be approved.
/// <see cref="Competence"/> says who is competent for it, and <see cref="LeadEntity"/> (with <see cref="LeadName"/>) who
/// leads on it, where the round says so. The outcome counts the competent entities only.
/// </summary>
public sealed record PositionItem(
    string ItemId,
    string Title,
    string Text,
    ItemOutcome Outcome,
    IReadOnlyList<ParticipantStance> Stances,
    IReadOnlyList<string> Missing,
    ItemSettlement? Settlement = null,
    Competence Competence = Competence.Mixed,
    string? LeadEntity = null,
    string? LeadName = null)
{
    /// <summary>Divergent and not settled: what stands between the draft and its approval.</summary>
    [JsonIgnore]
    public bool AwaitsSettlement => Outcome == ItemOutcome.Divergence && Settlement is null;
}

/// <summary>
/// One participant's stance on an item. Where several Flemish policy areas answer together for Flanders,
/// <see cref="Contributors"/> holds each area's own answer and the stance is the most restrictive of them. A participant
/// that is not <see cref="Competent"/> for the item is shown, but its stance does not count toward the item's outcome.
/// </summary>
public sealed record ParticipantStance(
    string Participant,
    string Name,
    PositionStance Stance,
    string? Remarks,
    bool Tacit = false,
    IReadOnlyList<ParticipantStance>? Contributors = null,
    bool Competent = true);
