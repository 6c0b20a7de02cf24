using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Consolidation;

public sealed class PositionAssemblerTests
{
    static readonly Dictionary<string, string> Names = new() { ["education"] = "Education", ["flanders"] = "Flanders" };

    static PositionDocument Assemble(RoundDefinition round, params Contribution[] contributions) =>
        PositionAssembler.Assemble(round, Direct(round), contributions, Names, 1, PositionStatus.Draft, Now);

    [Fact]
    public void Assemble_NobodyObjects_EveryItemIsConsensusWithEveryStanceAttributed()
    {
        var round = Soia("education", "environment");

        var position = Assemble(round, ReplyToAll("education", Stance.Agree), ReplyToAll("environment", Stance.AgreeWithRemarks, "Add SDG 13."));

        Assert.All(position.Items, item => Assert.Equal(ItemOutcome.Consensus, item.Outcome));
        var budget = position.Items[0];
        Assert.Equal(["education", "environment"], budget.Stances.Select(s => s.Participant));
        Assert.Equal("Add SDG 13.", budget.Stances.Single(s => s.Participant == "environment").Remarks);
        Assert.Equal("Education", budget.Stances.Single(s => s.Participant == "education").Name);
        Assert.Empty(budget.Missing);
    }

    [Fact]
    public void Assemble_OneObjection_ThatItemIsDivergentAndTheOtherIsNot()
    {
        var round = Soia("education", "environment");

        var position = Assemble(round,
            Reply("education", ("5.I", Stance.Objection, "Cuts education."), ("12", Stance.Agree, null)),
            ReplyToAll("environment", Stance.Agree));

        Assert.Equal(ItemOutcome.Divergence, position.Items.Single(i => i.ItemId == "5.I").Outcome);
        Assert.Equal(ItemOutcome.Consensus, position.Items.Single(i => i.ItemId == "12").Outcome);
    }

    [Fact]
    public void Assemble_WithSettlements_EachItemCarriesItsOwnAndOnlyAnUnsettledDivergentItemAwaitsSettlement()
    {
        var round = Soia("education", "environment");
        var settlement = new ItemSettlement(SettlementKind.Compromise, "Zero growth, SDG 4 kept.", null, null, Now, 1);
        var contributions = new[] { Reply("education", ("5.I", Stance.Objection, "Cuts."), ("12", Stance.Objection, "No.")), ReplyToAll("environment", Stance.Agree) };

        var settled = PositionAssembler.Assemble(round, Direct(round), contributions, Names, 2, PositionStatus.Draft, Now,
            new Dictionary<string, ItemSettlement> { ["5.I"] = settlement });

        Assert.Equal(settlement, settled.Items.Single(i => i.ItemId == "5.I").Settlement);
        Assert.Equal(ItemOutcome.Divergence, settled.Items.Single(i => i.ItemId == "5.I").Outcome);
        Assert.Equal(["12"], settled.Items.Where(i => i.AwaitsSettlement).Select(i => i.ItemId));
        Assert.All(Assemble(round, contributions).Items, i => Assert.Null(i.Settlement));
    }

    [Fact]
    public void Assemble_ParticipantDidNotReply_NoReplyAndListedAsMissing()
    {
        var round = Soia("education", "environment");

        var position = Assemble(round, ReplyToAll("education", Stance.Agree));

        var item = position.Items[0];
        Assert.Equal(PositionStance.NoReply, item.Stances.Single(s => s.Participant == "environment").Stance);
        Assert.Equal(["environment"], item.Missing);
        Assert.Equal(ItemOutcome.Consensus, item.Outcome);
    }

    [Fact]
    public void Assemble_NobodyReplied_NoAgreementNotConsensus()
    {
        var round = Soia("education", "environment");

        var position = Assemble(round);

        Assert.All(position.Items, item => Assert.Equal(ItemOutcome.NoAgreement, item.Outcome));
    }

    [Fact]
    public void Assemble_EveryoneNotCompetent_NoAgreement()
    {
        var round = Soia("education", "environment");

        var position = Assemble(round, ReplyToAll("education", Stance.NotCompetent), ReplyToAll("environment", Stance.NotCompetent));

        Assert.All(position.Items, item => Assert.Equal(ItemOutcome.NoAgreement, item.Outcome));
    }

    [Fact]
    public void Assemble_OneNotCompetentOneAgrees_ConsensusOnWhatTheCompetentOneSaid()
    {
        var round = Soia("education", "environment");

        var position = Assemble(round, ReplyToAll("education", Stance.NotCompetent), ReplyToAll("environment", Stance.AgreeWithRemarks, "Yes."));

        Assert.All(position.Items, item => Assert.Equal(ItemOutcome.Consensus, item.Outcome));
    }

    [Fact]
    public void Assemble_SilenceProcedureAndNobodyReplied_SilenceIsConsent()
    {
        var round = Soia("education", "environment") with { SilenceProcedure = true };

        var position = Assemble(round);

        Assert.All(position.Items, item => Assert.Equal(ItemOutcome.Consensus, item.Outcome));
        Assert.All(position.Items[0].Stances, stance => Assert.True(stance.Tacit));
    }

    [Fact]
    public void Assemble_SilenceProcedure_NonResponderCountsAsTacitAgreeAndIsStillListedAsMissing()
    {
        var round = Soia("education", "environment") with { SilenceProcedure = true };

        var position = Assemble(round, ReplyToAll("education", Stance.Agree));

        var silent = position.Items[0].Stances.Single(s => s.Participant == "environment");
        Assert.Equal(PositionStance.Agree, silent.Stance);
        Assert.True(silent.Tacit);
        Assert.Equal(["environment"], position.Items[0].Missing);
    }

    [Theory]
    [InlineData(Stance.Agree, Stance.Objection, Stance.Objection)]
    [InlineData(Stance.AgreeWithRemarks, Stance.Agree, Stance.AgreeWithRemarks)]
    [InlineData(Stance.NotCompetent, Stance.Agree, Stance.Agree)]
    [InlineData(Stance.NotCompetent, Stance.NotCompetent, Stance.NotCompetent)]
    [InlineData(Stance.Objection, Stance.AgreeWithRemarks, Stance.Objection)]
    public void Assemble_TwoFlemishAreasAnswerForFlanders_MostRestrictiveStanceWins(Stance first, Stance second, Stance expected)
    {
        var round = Coormulti(["federal", "flanders"], ["education", "environment"]);

        var position = Assemble(round,
            ReplyToAll("federal", Stance.Agree),
            ReplyToAll("education", first, "Education's remark."),
            ReplyToAll("environment", second));

        var flanders = position.Items[0].Stances.Single(s => s.Participant == "flanders");
        Assert.Equal(expected.ToString(), flanders.Stance.ToString());
        Assert.Equal(["education", "environment"], flanders.Contributors!.Select(c => c.Participant));
        Assert.Null(flanders.Remarks);
        Assert.Equal("Education's remark.", flanders.Contributors!.Single(c => c.Participant == "education").Remarks);
    }

    /// <summary>
    /// An area that writes a line looking like another area's words gets them shown as its own: each area's remarks stay
    /// with that area, and Flanders' own remarks are not a text that joins them.
    /// </summary>
    [Fact]
    public void Assemble_AreaWritesInAnotherAreasName_TheWordsStayAttributedToTheAreaThatWroteThem()
    {
        var round = Coormulti(["federal", "flanders"], ["education", "environment"]);
        const string Spoof = "Fine.\nEnvironment and Spatial Development (environment): Flanders objects to the whole text.";

        var position = Assemble(round, ReplyToAll("education", Stance.AgreeWithRemarks, Spoof), ReplyToAll("environment", Stance.Agree));

        var flanders = position.Items[0].Stances.Single(s => s.Participant == "flanders");
        Assert.Null(flanders.Remarks);
        Assert.Equal(Spoof, flanders.Contributors!.Single(c => c.Participant == "education").Remarks);
        Assert.Null(flanders.Contributors!.Single(c => c.Participant == "environment").Remarks);
    }

    [Fact]
    public void Assemble_OneOfTwoFlemishAreasSilent_FlandersTakesTheOtherAndTheSilentAreaIsMissing()
    {
        var round = Coormulti(["federal", "flanders"], ["education", "environment"]);

        var position = Assemble(round, ReplyToAll("federal", Stance.Agree), ReplyToAll("education", Stance.AgreeWithRemarks, "Note."));

        var item = position.Items[0];
        Assert.Equal(PositionStance.AgreeWithRemarks, item.Stances.Single(s => s.Participant == "flanders").Stance);
        Assert.Equal(["environment"], item.Missing);
    }

    [Fact]
    public void Assemble_NoFlemishAreaReplied_FlandersIsNoReplyAndEveryAreaIsMissing()
    {
        var round = Coormulti(["federal", "flanders"], ["education", "environment"]);

        var position = Assemble(round, ReplyToAll("federal", Stance.Agree));

        var item = position.Items[0];
        Assert.Equal(PositionStance.NoReply, item.Stances.Single(s => s.Participant == "flanders").Stance);
        Assert.Equal(["education", "environment", "flanders"], item.Missing.Order());
    }

    [Fact]
    public void Assemble_SameInputs_SameDocument()
    {
        var round = Soia("education", "environment");
        var contributions = new[] { ReplyToAll("education", Stance.Objection, "No."), ReplyToAll("environment", Stance.Agree) };

        Assert.Equal(PositionRenderer.ToJson(Assemble(round, contributions)), PositionRenderer.ToJson(Assemble(round, contributions)));
    }
}
