using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>The routing rule with competences: Flanders is not asked about what it is not competent for.</summary>
public sealed class RoundRoutingCompetenceTests
{
    static readonly string[] ThreeAreas = ["education", "environment", "culture-youth-media"];

    static RoundDefinition Round(string[] areas, params Competence[] competences) =>
        Coormulti(["federal", "flanders"], areas) with
        {
            Items = competences.Select((c, i) => new AgendaItem($"{i + 1}", $"Item {i + 1}", "Text.", c, c == Competence.Federal ? "federal" : null))
                .ToList(),
        };

    [Fact]
    public void FlandersItems_FederalAndOtherItems_TheOthersWithoutTheirLead()
    {
        var items = RoundRouting.FlandersItems(Round(ThreeAreas, Competence.Federal, Competence.Federated, Competence.Mixed));

        Assert.Equal(["2", "3"], items.Select(i => i.Id));
        Assert.Equal([Competence.Federated, Competence.Mixed], items.Select(i => i.Competence));
        Assert.All(items, i => Assert.Null(i.LeadEntity));
    }

    [Fact]
    public void FlandersItems_OnlyTheOpenItems()
    {
        var items = RoundRouting.FlandersItems(Round(ThreeAreas, Competence.Mixed, Competence.Federated), isOpen: id => id == "2");

        Assert.Equal(["2"], items.Select(i => i.Id));
    }

    [Fact]
    public void Respondents_MoreThanTwoAreasSomeItemFlandersIsCompetentFor_ThroughALinkedRound()
    {
        var respondents = RoundRouting.Respondents(Round(ThreeAreas, Competence.Federal, Competence.Federated));

        Assert.Contains(new Respondent("flanders", null, ViaLinkedRound: true), respondents);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Respondents_OnlyFederalItems_NeitherFlandersNorItsAreasAreAsked(int areaCount)
    {
        var respondents = RoundRouting.Respondents(Round(ThreeAreas.Take(areaCount).ToArray(), Competence.Federal, Competence.Federal));

        Assert.Equal([new Respondent("federal", null)], respondents);
    }

    [Fact]
    public void Respondents_ReopenedItemsAllFederal_FlandersIsNotAskedAgain()
    {
        var round = Round(ThreeAreas, Competence.Federal, Competence.Mixed);

        Assert.Equal([new Respondent("federal", null)], RoundRouting.Respondents(round, isOpen: id => id == "1"));
        Assert.Equal(2, RoundRouting.Respondents(round, isOpen: id => id == "2").Count);
    }
}
