using MultilateralFlows.Consolidation;

namespace MultilateralFlows.Rounds;

/// <summary>
/// The routing rule: who actually receives a request. In a SOIA round, every participant. In a COORMULTI round, every
/// Belgian entity; Flanders is asked through its policy areas when one or two are concerned (their combined answers
/// are Flanders' contribution), and through a linked SOIA round of those areas when more than two are.
/// </summary>
public static class RoundRouting
{
    public const string Flanders = "flanders";

    /// <summary>Above this many Flemish policy areas, Flanders first agrees its position in a linked SOIA round.</summary>
    public const int MaxAreasAskedDirectly = 2;

    public static IReadOnlyList<Respondent> Respondents(RoundDefinition round)
    {
        if (round.Procedure == Procedure.SOIA || !round.Participants.Contains(Flanders))
        {
            return round.Participants.Select(p => new Respondent(p, null)).ToList();
        }

        var respondents = new List<Respondent>();
        foreach (var participant in round.Participants)
        {
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
}
