using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>What each way of settling an item takes.</summary>
public sealed class SettlementValidationTests
{
    static readonly RoundDefinition Round = Coormulti(["federal", "flanders", "wallonia"], ["education"]);

    [Theory]
    [InlineData("Consensus", null, null, SettlementKind.Consensus)]
    [InlineData("consensus", "As amended at the meeting.", null, SettlementKind.Consensus)]
    [InlineData("COMPROMISE", "Zero real growth.", null, SettlementKind.Compromise)]
    [InlineData("Abstain", null, null, SettlementKind.Abstain)]
    [InlineData("Abstain", "Explanation of vote.", null, SettlementKind.Abstain)]
    [InlineData("LeadEntity", null, "wallonia", SettlementKind.LeadEntity)]
    [InlineData("NoPosition", null, null, SettlementKind.NoPosition)]
    public void Validate_WhatEachWayTakes_Accepted(string how, string? text, string? lead, SettlementKind expected)
    {
        var (settlement, errors) = SettlementApi.Validate(new SettlementRequest { How = how, Text = text, LeadEntity = lead }, Round);

        Assert.Empty(errors);
        Assert.Equal((expected, text, lead), (settlement!.Value.How, settlement.Value.Text, settlement.Value.LeadEntity));
    }

    [Theory]
    [InlineData(null, null, null, "how")]
    [InlineData("Agree", null, null, "how")]
    [InlineData("Compromise", null, null, "text")]
    [InlineData("LeadEntity", null, null, "leadEntity")]
    [InlineData("LeadEntity", null, "education", "leadEntity")]
    [InlineData("NoPosition", null, "federal", "leadEntity")]
    public void Validate_MissingOrMisplacedField_RefusedOnThatField(string? how, string? text, string? lead, string field)
    {
        var (settlement, errors) = SettlementApi.Validate(new SettlementRequest { How = how, Text = text, LeadEntity = lead }, Round);

        Assert.Null(settlement);
        Assert.True(errors.ContainsKey(field), string.Join(", ", errors.Keys));
    }

    [Theory]
    [InlineData(Competence.Federated, "federal", false)]
    [InlineData(Competence.Federated, "wallonia", true)]
    [InlineData(Competence.Federal, "wallonia", false)]
    [InlineData(Competence.Federal, "federal", true)]
    [InlineData(Competence.Mixed, "federal", true)]
    public void Validate_LeadEntity_OnlyOneCompetentForTheItem(Competence competence, string lead, bool accepted)
    {
        var item = new AgendaItem("5.I", "Budget", "Text", competence);

        var (settlement, errors) = SettlementApi.Validate(new SettlementRequest { How = "LeadEntity", LeadEntity = lead }, Round, item);

        Assert.Equal(accepted, settlement is not null);
        Assert.Equal(!accepted, errors.ContainsKey("leadEntity"));
    }

    [Fact]
    public void Validate_TextWithLineBreaksUpToTheLimit_KeptTrimmed_OneMore_Refused()
    {
        var longest = new string('x', SettlementApi.MaxTextLength - 2) + "\ny";

        var (kept, _) = SettlementApi.Validate(new SettlementRequest { How = "Compromise", Text = $"  {longest}  " }, Round);
        var (tooLong, errors) = SettlementApi.Validate(new SettlementRequest { How = "Compromise", Text = longest + "z" }, Round);

        Assert.Equal(longest, kept!.Value.Text);
        Assert.Null(tooLong);
        Assert.True(errors.ContainsKey("text"));
    }
}
