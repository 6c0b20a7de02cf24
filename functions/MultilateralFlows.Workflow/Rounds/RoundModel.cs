namespace MultilateralFlows.Rounds;

/// <summary>The two consultation procedures: SOIA (Flemish position) and COORMULTI (Belgian position).</summary>
public enum Procedure
{
    SOIA,
    COORMULTI,
}

/// <summary>What the round prepares a position for.</summary>
public enum MeetingKind
{
    BoardMeeting,
    ExpertMeeting,
    Report,
    Questionnaire,
}

/// <summary>Where a round stands, as the coordinator sees it.</summary>
public enum RoundPhase
{
    Collecting,
    Reviewing,
    Final,
    Cancelled,
}

/// <summary>
/// Who is competent for an item in Belgium: the federal level alone, the communities and regions alone, or both. An
/// entity that is not competent for an item is shown with its stance but neither blocks nor makes its consensus
/// (<see cref="Participants.Competences"/>).
/// </summary>
public enum Competence
{
    Federal,
    Federated,

    /// <summary>Everyone is competent: what an item is when the coordinator says nothing, and what every item was before competences.</summary>
    Mixed,
}

/// <summary>
/// An agenda item or question, with the draft position or question text participants react to, who is competent for it
/// and, where known, the participant that leads on it (speaks for the delegation, holds the pen).
/// </summary>
public sealed record AgendaItem(string Id, string Title, string Text, Competence Competence = Competence.Mixed, string? LeadEntity = null);

/// <summary>
/// An address the round names for the permanent representation (e.g. Belgium's permanent representation to the EU or the
/// UN): it is sent the final position once approved, in <see cref="Language"/> (nl, fr, de or en).
/// </summary>
public sealed record RepresentationAddress(string Email, string Language, string? Name = null);

/// <summary>A validated consultation round as the coordinator asked for it.</summary>
/// <param name="PermanentRepresentation">Where the final position goes besides the participants; empty (or null, for a round
/// stored before there was this field) when nobody.</param>
/// <param name="CoordinatorLanguage">
/// The language of the coordinator's notices about this round (nl, fr, de, en); null: the <c>Email__CoordinatorLanguage</c>
/// setting, as for every round stored before rounds had their own.
/// </param>
/// <param name="SoiaCoordinatorEmail">
/// COORMULTI only, optional: who coordinates the linked SOIA round (without it, the directory's <c>flanders</c> address).
/// </param>
public sealed record RoundDefinition(
    string Id,
    Procedure Procedure,
    string Title,
    string Organisation,
    MeetingKind Kind,
    IReadOnlyList<AgendaItem> Items,
    IReadOnlyList<string> Participants,
    IReadOnlyList<string> FlemishPolicyAreas,
    DateTimeOffset Deadline,
    bool SilenceProcedure,
    string CoordinatorEmail,
    DateTimeOffset CreatedAt,
    string? ParentRoundId = null,
    IReadOnlyList<RepresentationAddress>? PermanentRepresentation = null,
    string? SoiaCoordinatorEmail = null,
    string? CoordinatorLanguage = null);
