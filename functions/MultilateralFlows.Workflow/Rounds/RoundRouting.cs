using MultilateralFlows.Consolidation;
using MultilateralFlows.Participants;

namespace MultilateralFlows.Rounds;

/// <summary>
/// The routing rule: who actually receives a request. In a SOIA round, every participant. In a COORMULTI round, every
/// Belgian entity; Flanders is asked through its policy areas when one or two are concerned (their combined answers
/// are Flanders' contribution), and through a linked SOIA round of those areas when more than two are; not at all in an
/// iteration whose items are all Federal, where Flanders is not competent.
/// </summary>
public static class RoundRouting
{
    public const string Flanders = "flanders";

    /// <summary>Above this many Flemish policy areas, Flanders first agrees its position in a linked SOIA round.</summary>
    public const int MaxAreasAskedDirectly = 2;

    /// <summary>Who is asked in an iteration whose open items <paramref name="isOpen"/> says (every item when not given).</summary>
    public static IReadOnlyList<Respondent> Respondents(RoundDefinition round, Func<string, bool>? isOpen = null)
    {
        if (round.Procedure == Procedure.SOIA || !round.Participants.Contains(Flanders))
        {
            return round.Participants.Select(p => new Respondent(p, null)).ToList();
        }

        var respondents = new List<Respondent>();
        foreach (var participant in round.Participants)
        {
            if (participant == Flanders && FlandersItems(round, isOpen).Count == 0)
            {
                // Flanders is competent for none of the items asked (all Federal): its areas are not troubled with them.
                continue;
            }

            if (participant == Flanders && round.FlemishPolicyAreas.Count is > 0 and <= MaxAreasAskedDirectly)
            {
                respondents.AddRange(round.FlemishPolicyAreas.Select(area => new Respondent(area, Flanders)));
            }
            else if (participant == Flanders && round.FlemishPolicyAreas.Count > MaxAreasAskedDirectly)
            {
                respondents.Add(new Respondent(participant, null, ViaLinkedRound: true));
            }
            else
            {
                respondents.Add(new Respondent(participant, null));
            }
        }

        return respondents;
    }

    /// <summary>
    /// The items Flanders answers in a linked SOIA round: the open ones it is competent for (a Federal item is not put to
    /// the Flemish areas). They keep their competence; the lead, a Belgian entity of the COORMULTI round, is that round's
    /// affair and stays there.
    /// </summary>
    public static IReadOnlyList<AgendaItem> FlandersItems(RoundDefinition round, Func<string, bool>? isOpen = null) =>
        round.Items
            .Where(item => (isOpen?.Invoke(item.Id) ?? true) && Competences.IsCompetent(item.Competence, Flanders))
            .Select(item => item with { LeadEntity = null })
            .ToList();
}
