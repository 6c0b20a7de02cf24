using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>An item's competence and lead entity in a round request.</summary>
public sealed class RoundRequestValidatorCompetenceTests
{
    static readonly IReadOnlyDictionary<string, Participant> Directory = ParticipantDirectory.Shipped.ToDictionary(p => p.Code);

    static StartRoundRequest Coormulti(string? competence, string? lead, params string[] participants) => new()
    {
        Procedure = "COORMULTI",
        Title = "UNESCO Executive Board",
        Organisation = "UNESCO",
        Kind = "BoardMeeting",
        Items =
        [
            new AgendaItemRequest { Id = "5.I", Title = "Budget", Text = "Zero real growth." },
            new AgendaItemRequest { Id = "12", Title = "Neurotechnology", Text = "Adopt.", Competence = competence, LeadEntity = lead },
        ],
        Participants = participants.Length == 0 ? ["federal", "wallonia", "french-community"] : [.. participants],
        Deadline = "2026-12-04T17:00:00+01:00",
        CoordinatorEmail = "coordinator@diplomatie.belgium.example",
    };

    static StartRoundRequest Soia(string? competence, string? lead)
    {
        var request = Coormulti(competence, lead);
        request.Procedure = "SOIA";
        request.Participants = ["education", "environment"];
        return request;
    }

    static (RoundDefinition? Round, Dictionary<string, string[]> Errors) Validate(StartRoundRequest request) =>
        RoundRequestValidator.Validate(request, Directory, "r1", Now);

    [Fact]
    public void Validate_NoCompetenceGiven_MixedAndNoLead()
    {
        var (round, errors) = Validate(Coormulti(null, null));

        Assert.Empty(errors);
        Assert.All(round!.Items, item => Assert.Equal(Competence.Mixed, item.Competence));
        Assert.All(round.Items, item => Assert.Null(item.LeadEntity));
    }

    [Theory]
    [InlineData("Federal", "federal", Competence.Federal)]
    [InlineData("federated", "wallonia", Competence.Federated)]
    [InlineData(" Mixed ", "french-community", Competence.Mixed)]
    [InlineData("Mixed", "federal", Competence.Mixed)]
    public void Validate_CompetenceAndACompetentLead_KeptOnTheItem(string competence, string lead, Competence expected)
    {
        var (round, errors) = Validate(Coormulti(competence, lead));

        Assert.Empty(errors);
        Assert.Equal(expected, round!.Items[1].Competence);
        Assert.Equal(lead, round.Items[1].LeadEntity);
        Assert.Equal(Competence.Mixed, round.Items[0].Competence);
    }

    [Theory]
    [InlineData("Regional")]
    [InlineData("")]
    [InlineData("2")]
    public void Validate_UnknownCompetence_RefusedOnThatItem(string competence)
    {
        var (round, errors) = Validate(Coormulti(competence, null));

        Assert.Null(round);
        Assert.Equal(["items[1].competence"], errors.Keys);
        Assert.Contains("Federal, Federated, Mixed", errors["items[1].competence"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mixed", "flanders", "not a participant of this round")]
    [InlineData("Mixed", "nobody", "not a participant of this round")]
    [InlineData("Mixed", " ", "participant code of this round")]
    [InlineData("Federated", "federal", "'federal' is not competent for a Federated item")]
    [InlineData("Federal", "wallonia", "'wallonia' is not competent for a Federal item")]
    public void Validate_LeadNotAParticipantOrNotCompetent_RefusedOnTheLead(string competence, string lead, string message)
    {
        var (round, errors) = Validate(Coormulti(competence, lead));

        Assert.Null(round);
        Assert.Equal(["items[1].leadEntity"], errors.Keys);
        Assert.Contains(message, errors["items[1].leadEntity"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Federal", "wallonia", "french-community")]
    [InlineData("Federated", "federal")]
    public void Validate_NobodyInTheRoundCompetent_RefusedOnTheCompetence(string competence, params string[] participants)
    {
        var (_, errors) = Validate(Coormulti(competence, null, participants));

        Assert.Equal(["items[1].competence"], errors.Keys);
        Assert.Contains($"No participant is competent for a {competence} item", errors["items[1].competence"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SoiaWithAFederalItem_RefusedFlandersIsNotCompetent()
    {
        var (_, errors) = Validate(Soia("Federal", null));

        Assert.Equal(["items[1].competence"], errors.Keys);
        Assert.Contains("Flanders is not competent for a Federal item", errors["items[1].competence"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SoiaLeadByAPolicyAreaOfTheRound_Kept()
    {
        var (round, errors) = Validate(Soia("Federated", "education"));

        Assert.Empty(errors);
        Assert.Equal("education", round!.Items[1].LeadEntity);
    }

    [Fact]
    public void Validate_SoiaLeadByABelgianEntity_RefusedNotAParticipant()
    {
        var (_, errors) = Validate(Soia("Mixed", "flanders"));

        Assert.Equal(["items[1].leadEntity"], errors.Keys);
    }

    [Fact]
    public void Validate_OneItemWithAnUnknownCompetenceAnotherWithALeadNotCompetent_BothReported()
    {
        var request = Coormulti("Regional", null);
        request.Items![0]!.Competence = "Federated";
        request.Items[0]!.LeadEntity = "federal";

        var (_, errors) = Validate(request);

        Assert.Equal(["items[0].leadEntity", "items[1].competence"], errors.Keys.Order());
    }
}
