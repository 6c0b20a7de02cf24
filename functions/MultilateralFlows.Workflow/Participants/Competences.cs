using MultilateralFlows.Rounds;

namespace MultilateralFlows.Participants;

/// <summary>
/// Which participant is competent for an item of which competence. In Belgium the federal level is one entity
/// (<see cref="FederalLevel"/>); every other Belgian entity is a community or a region, and a Flemish policy area is part
/// of Flanders, so both count as federated. A rule on the code rather than a column of the directory: an entity an
/// operator adds to the Directory table (which never gets a new column) is a federated one, which is what any entity
/// but the federal level is.
/// </summary>
public static class Competences
{
    public const string FederalLevel = "federal";

    public static bool IsCompetent(Competence competence, string participant) => competence switch
    {
        Competence.Federal => participant == FederalLevel,
        Competence.Federated => participant != FederalLevel,
        _ => true,
    };
}
