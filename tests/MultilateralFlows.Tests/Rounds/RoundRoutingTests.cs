using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>The routing rule: who receives a request, and on whose behalf.</summary>
public sealed class RoundRoutingTests
{
    [Fact]
    public void Respondents_SoiaRound_EveryParticipantDirectly()
    {
        Assert.Equal(
            [new Respondent("education", null), new Respondent("environment", null)],
            RoundRouting.Respondents(Soia("education", "environment")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Respondents_CoormultiWithOneOrTwoFlemishAreas_TheAreasAnswerForFlanders(int areaCount)
    {
        var areas = new[] { "education", "environment" }.Take(areaCount).ToList();

        var respondents = RoundRouting.Respondents(Coormulti(["federal", "flanders", "wallonia"], areas));

        Assert.Equal(["federal", .. areas, "wallonia"], respondents.Select(r => r.Participant));
        Assert.All(respondents.Where(r => areas.Contains(r.Participant)), r => Assert.Equal("flanders", r.Represents));
        Assert.DoesNotContain(respondents, r => r.Participant == "flanders" || r.ViaLinkedRound);
    }

    [Fact]
    public void Respondents_CoormultiWithMoreThanTwoFlemishAreas_FlandersAnswersThroughALinkedSoiaRound()
    {
        var respondents = RoundRouting.Respondents(Coormulti(["federal", "flanders"], ["education", "environment", "culture-youth-media"]));

        Assert.Equal([new Respondent("federal", null), new Respondent("flanders", null, ViaLinkedRound: true)], respondents);
    }

    [Fact]
    public void Respondents_CoormultiWithoutFlanders_EveryEntityDirectly()
    {
        Assert.Equal(["federal", "wallonia"], RoundRouting.Respondents(Coormulti(["federal", "wallonia"], [])).Select(r => r.Participant));
    }
}
