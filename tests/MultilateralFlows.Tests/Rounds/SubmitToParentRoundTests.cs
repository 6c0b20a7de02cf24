using MultilateralFlows.Consolidation;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>How Flanders' approved SOIA position is fitted into the one stored reply it becomes in the COORMULTI round.</summary>
public sealed class SubmitToParentRoundTests
{
    static ParticipantStance Area(string code, string? remarks) => new(code, $"Area {code}", PositionStance.Objection, remarks);

    [Fact]
    public void WithinLimit_ContributorsThatFit_AreSubmittedAsTheyAre()
    {
        IReadOnlyList<ParticipantStance> areas = [Area("education", "Keep SDG 4 whole."), Area("environment", null)];

        Assert.Same(areas, SubmitToParentRound.WithinLimit(areas, ContributionRow.MaxContributorsLength, "soia-1", 2));
    }

    [Fact]
    public void WithinLimit_SixAreasAtTheMostRemarks_LongestAreCutEquallyWithAPointerAndShortOnesStayWhole()
    {
        var areas = Enumerable.Range(1, 6)
            .Select(i => Area($"area-{i}", new string((char)('a' + i), ReplySubmission.MaxRemarksLength)))
            .Append(Area("short", "Only this."))
            .ToList();

        var fitted = SubmitToParentRound.WithinLimit(areas, ContributionRow.MaxContributorsLength, "soia-1", 2);

        Assert.InRange(ContributionRow.ContributorsAsStored(fitted).Length, ContributionRow.MaxContributorsLength - 200, ContributionRow.MaxContributorsLength);
        Assert.Equal(areas.Select(a => a.Participant), fitted.Select(a => a.Participant));
        Assert.Equal("Only this.", fitted[^1].Remarks);
        var kept = fitted.Take(6).Select(a => a.Remarks!.IndexOf('\n', StringComparison.Ordinal)).ToList();
        Assert.Single(kept.Distinct());
        Assert.All(fitted.Take(6), a => Assert.EndsWith("the whole text is in Flanders' position, SOIA round soia-1, version 2]", a.Remarks, StringComparison.Ordinal));
        Assert.All(fitted.Take(6).Zip(areas), pair => Assert.StartsWith(pair.Second.Remarks![..kept[0]], pair.First.Remarks, StringComparison.Ordinal));
    }

    [Fact]
    public void WithinLimit_RemarksThatTakeMoreWhenStored_StillFit()
    {
        // Stored as JSON, quotes and line breaks take two characters, and a character outside the BMP twelve.
        var areas = Enumerable.Range(1, 6).Select(i => Area($"area-{i}", string.Concat(Enumerable.Repeat("\"\n€😀", 1_600)))).ToList();

        var fitted = SubmitToParentRound.WithinLimit(areas, ContributionRow.MaxContributorsLength, "soia-1", 2);

        Assert.True(ContributionRow.ContributorsAsStored(fitted).Length <= ContributionRow.MaxContributorsLength);
        Assert.All(fitted, a => Assert.False(char.IsHighSurrogate(a.Remarks![a.Remarks.IndexOf("\n[…", StringComparison.Ordinal) - 1])));
    }

    [Theory]
    [InlineData(1, 30_000)]
    [InlineData(33, 30_000)]
    [InlineData(50, 20_000)]
    public void MaxLengthPerItem_ManyItems_AWholeReplyStaysUnderWhatATransactionTakes(int items, int expected)
    {
        Assert.Equal(expected, SubmitToParentRound.MaxLengthPerItem(items));
        Assert.True(items * SubmitToParentRound.MaxLengthPerItem(items) * 3 < 4 * 1024 * 1024 - 500_000);
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
