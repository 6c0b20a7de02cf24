using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>How Flanders' approved SOIA position becomes its reply in the COORMULTI round: Flanders' stance and text, not the areas'.</summary>
public sealed class SubmitToParentRoundTests
{
    static ParticipantStance Area(string code, string? remarks) => new(code, $"Area {code}", PositionStance.Objection, remarks);

    /// <summary>An approved SOIA position of three areas on items 5.I and 12, with the settlements given.</summary>
    static PositionDocument Approved(params (string Item, ItemSettlement Settlement)[] settlements)
    {
        var round = Soia("education", "environment", "culture-youth-media");
        var position = PositionAssembler.Assemble(
            round,
            Direct(round),
            [
                Reply("education", ("5.I", Stance.Objection, "Cuts education."), ("12", Stance.AgreeWithRemarks, "Add SDG 4.")),
                Reply("environment", ("5.I", Stance.Agree, null), ("12", Stance.Agree, null)),
                Reply("culture-youth-media", ("5.I", Stance.AgreeWithRemarks, "Keep heritage."), ("12", Stance.NotCompetent, null)),
            ],
            new Dictionary<string, string>(),
            3,
            PositionStatus.Final,
            Now,
            settlements.ToDictionary(s => s.Item, s => s.Settlement));
        return position with { RoundId = "soia-1" };
    }

    static ItemSettlement Settled(SettlementKind how, string? text = null, string? lead = null) =>
        new(how, text, lead, lead is null ? null : $"Area {lead}", Now, 2);

    [Fact]
    public void FlandersReplies_CompromiseSettled_FlandersAgreesWithTheCompromiseAsItsTextAndNoAreaIsNamed()
    {
        var replies = SubmitToParentRound.FlandersReplies(Approved(("5.I", Settled(SettlementKind.Compromise, "Zero growth, SDG 4 kept."))));

        var budget = replies.Single(r => r.ItemId == "5.I");
        Assert.Equal(new ItemReply("5.I", Stance.AgreeWithRemarks, "Zero growth, SDG 4 kept."), budget);
        Assert.All(replies, r => Assert.Null(r.Contributors));
        Assert.All(replies, r => Assert.DoesNotContain("Cuts education", r.Remarks ?? "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SettlementKind.Consensus, null, Stance.Agree, null)]
    [InlineData(SettlementKind.Consensus, "As amended.", Stance.AgreeWithRemarks, "As amended.")]
    [InlineData(SettlementKind.Abstain, null, Stance.NotCompetent, "Flanders abstains on this item.")]
    [InlineData(SettlementKind.Abstain, "Not ours to say.", Stance.NotCompetent, "Flanders abstains on this item.\nNot ours to say.")]
    [InlineData(SettlementKind.NoPosition, null, Stance.NotCompetent, "Flanders takes no position on this item.")]
    public void FlandersReplies_Settled_TheStanceTheSettlementMeansWithItsText(SettlementKind how, string? text, Stance stance, string? remarks)
    {
        var replies = SubmitToParentRound.FlandersReplies(Approved(("5.I", Settled(how, text))));

        Assert.Equal(new ItemReply("5.I", stance, remarks), replies.Single(r => r.ItemId == "5.I"));
    }

    [Fact]
    public void FlandersReplies_LeadAreaSettled_TheLeadsStanceWithItsOwnRemarksOrTheSettledText()
    {
        var own = SubmitToParentRound.FlandersReplies(Approved(("5.I", Settled(SettlementKind.LeadEntity, lead: "education"))));
        var text = SubmitToParentRound.FlandersReplies(Approved(("5.I", Settled(SettlementKind.LeadEntity, "We object to the cut.", "education"))));

        Assert.Equal(
            new ItemReply("5.I", Stance.Objection, "Area education (education) speaks for Flanders on this item.\nCuts education."),
            own.Single(r => r.ItemId == "5.I"));
        Assert.Equal("Area education (education) speaks for Flanders on this item.\nWe object to the cut.", text.Single(r => r.ItemId == "5.I").Remarks);
    }

    [Fact]
    public void FlandersReplies_UnsettledConsensusWithRemarks_AgreesWithRemarksPointingToTheSoiaPositionNotQuotingAnyArea()
    {
        var replies = SubmitToParentRound.FlandersReplies(Approved(("5.I", Settled(SettlementKind.Compromise, "Zero growth."))));

        var neuro = replies.Single(r => r.ItemId == "12");
        Assert.Equal(Stance.AgreeWithRemarks, neuro.Stance);
        Assert.Contains("SOIA round soia-1, version 3", neuro.Remarks, StringComparison.Ordinal);
        Assert.DoesNotContain("SDG 4", neuro.Remarks, StringComparison.Ordinal);
        Assert.Null(neuro.Contributors);
    }

    [Fact]
    public void FlandersReplies_UnsettledItems_AgreeWithoutRemarksAndNoReplyLeftOut()
    {
        var round = Soia("education", "environment");
        var position = PositionAssembler.Assemble(
            round, Direct(round), [Reply("education", ("5.I", Stance.Agree, null)), Reply("environment", ("5.I", Stance.NotCompetent, null))],
            new Dictionary<string, string>(), 2, PositionStatus.Final, Now);

        var replies = SubmitToParentRound.FlandersReplies(position);

        Assert.Equal([new ItemReply("5.I", Stance.Agree, null)], replies);
    }

    [Fact]
    public void ItemReply_SameContributorsInAnotherList_IsEqual()
    {
        var first = new ItemReply("5.I", Stance.Objection, null, [Area("education", "No.")]);
        var same = new ItemReply("5.I", Stance.Objection, null, [Area("education", "No.")]);
        var other = new ItemReply("5.I", Stance.Objection, null, [Area("education", "No!")]);

        Assert.Equal(first, same);
        Assert.Equal(first.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(first, other);
        Assert.NotEqual(first, first with { Contributors = null });
    }

    [Fact]
    public void ContributionRow_ReplyWithContributors_ReadsBackEqual()
    {
        var reply = new ItemReply("5.I", Stance.Objection, null, [Area("education", "Non, 🙅 \"jamais\" à €.\n<b>x</b>"), Area("environment", null) with { Tacit = true }]);

        var row = ContributionRow.From("r1", RowKeys.Contribution("flanders", 1, 0), "flanders", 1, reply, DateTimeOffset.UnixEpoch);

        Assert.Equal(reply, row.ToItemReply());
        Assert.Contains("jamais\\\" à €", row.Contributors, StringComparison.Ordinal);
    }
}
