using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Tests.Participants;

/// <summary>Who is competent for an item of which competence.</summary>
public sealed class CompetencesTests
{
    [Theory]
    [InlineData(Competence.Federal, "federal", true)]
    [InlineData(Competence.Federal, "flanders", false)]
    [InlineData(Competence.Federal, "german-community", false)]
    [InlineData(Competence.Federated, "federal", false)]
    [InlineData(Competence.Federated, "wallonia", true)]
    [InlineData(Competence.Federated, "education", true)]
    [InlineData(Competence.Mixed, "federal", true)]
    [InlineData(Competence.Mixed, "brussels", true)]
    public void IsCompetent_EntityAndCompetence_TheFederalLevelAloneForFederalTheOthersForFederated(
        Competence competence, string participant, bool competent) =>
        Assert.Equal(competent, Competences.IsCompetent(competence, participant));

    [Fact]
    public void IsCompetent_AnEntityAnOperatorAddedToTheDirectory_IsAFederatedOne()
    {
        Assert.True(Competences.IsCompetent(Competence.Federated, "flemish-community-commission"));
        Assert.False(Competences.IsCompetent(Competence.Federal, "flemish-community-commission"));
    }
}
