using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Consolidation;

/// <summary>Competences: an entity not competent for an item is shown, but neither blocks nor makes its consensus.</summary>
public sealed class PositionAssemblerCompetenceTests
{
    static readonly Dictionary<string, string> Names = new() { ["flanders"] = "Flanders", ["federal"] = "FPS Foreign Affairs" };

    static RoundDefinition Belgian(Competence competence, string? lead = null, bool silence = false) =>
        Coormulti(["federal", "flanders", "wallonia"], ["education"]) with
        {
            Items = [new AgendaItem("5.I", "Budget", "Zero real growth.", competence, lead)],
            SilenceProcedure = silence,
        };

    /// <summary>Flanders answers through its area, as where the round also had an item Flanders is competent for.</summary>
    static readonly Respondent[] Respondents = [new("federal", null), new("education", "flanders"), new("wallonia", null)];

    static PositionItem Assemble(RoundDefinition round, params Contribution[] contributions) =>
        PositionAssembler.Assemble(round, Respondents, contributions, Names, 1, PositionStatus.Draft, Now).Items.Single();

    [Fact]
    public void Assemble_FederatedItemTheFederalLevelObjectsTheOthersAgree_ConsensusWithTheObjectionShownAsNotCompetent()
    {
        var item = Assemble(Belgian(Competence.Federated, lead: "flanders"),
            Reply("federal", ("5.I", Stance.Objection, "Not in our budget.")),
            Reply("education", ("5.I", Stance.Agree, null)),
            Reply("wallonia", ("5.I", Stance.AgreeWithRemarks, "Yes.")));

        Assert.Equal(ItemOutcome.Consensus, item.Outcome);
        var federal = item.Stances.Single(s => s.Participant == "federal");
        Assert.Equal(PositionStance.Objection, federal.Stance);
        Assert.Equal("Not in our budget.", federal.Remarks);
        Assert.False(federal.Competent);
        Assert.All(item.Stances.Where(s => s.Participant != "federal"), s => Assert.True(s.Competent));
        Assert.Equal(Competence.Federated, item.Competence);
        Assert.Equal("flanders", item.LeadEntity);
        Assert.Equal("Flanders", item.LeadName);
    }

    [Fact]
    public void Assemble_FederalItemOnlyTheNonCompetentAgree_NoAgreement()
    {
        var item = Assemble(Belgian(Competence.Federal),
            Reply("education", ("5.I", Stance.Agree, null)),
            Reply("wallonia", ("5.I", Stance.Agree, null)));

        Assert.Equal(ItemOutcome.NoAgreement, item.Outcome);
        Assert.Equal(["federal"], item.Missing);
        var flanders = item.Stances.Single(s => s.Participant == "flanders");
        Assert.True(flanders is { Stance: PositionStance.Agree, Competent: false });
        Assert.True(flanders.Contributors!.Single() is { Participant: "education", Stance: PositionStance.Agree, Competent: false });
    }

    [Fact]
    public void Assemble_FederalItemUnderSilence_NonCompetentSilenceIsNeitherTacitNorMissing()
    {
        var item = Assemble(Belgian(Competence.Federal, silence: true), Reply("wallonia", ("5.I", Stance.Objection, "No.")));

        Assert.Equal(ItemOutcome.Consensus, item.Outcome);
        var federal = item.Stances.Single(s => s.Participant == "federal");
        Assert.True(federal is { Stance: PositionStance.Agree, Tacit: true, Competent: true });
        var flanders = item.Stances.Single(s => s.Participant == "flanders");
        Assert.True(flanders is { Stance: PositionStance.NoReply, Tacit: false, Competent: false });
        // The competent federal level's silence is listed, as any silence is; Flanders' and its area's is not.
        Assert.Equal(["federal"], item.Missing);
    }

    [Fact]
    public void Assemble_MixedItem_EveryoneCountsAsBefore()
    {
        var item = Assemble(Belgian(Competence.Mixed),
            Reply("federal", ("5.I", Stance.Objection, "No.")),
            Reply("education", ("5.I", Stance.Agree, null)),
            Reply("wallonia", ("5.I", Stance.Agree, null)));

        Assert.Equal(ItemOutcome.Divergence, item.Outcome);
        Assert.All(item.Stances, s => Assert.True(s.Competent));
        Assert.Null(item.LeadEntity);
        Assert.Null(item.LeadName);
    }
}
