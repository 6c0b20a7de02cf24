using MultilateralFlows.Consolidation;
using MultilateralFlows.Replies;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Replies;

public sealed class ReplySubmissionTests
{
    static ReplyItemRequest Item(string itemId, string? stance, string? remarks = null) => new() { ItemId = itemId, Stance = stance, Remarks = remarks };

    [Fact]
    public void FromForm_FieldsPerItem_BecomeOneAnswerPerItem()
    {
        var items = ReplySubmission.FromForm("stance.5.I=Objection&remarks.5.I=Too+costly&stance.12=Agree&remarks.12=&other=x");

        Assert.Equal(2, items.Count);
        var budget = items.Single(i => i.ItemId == "5.I");
        Assert.Equal("Objection", budget.Stance);
        Assert.Equal("Too costly", budget.Remarks);
        Assert.Equal("Agree", items.Single(i => i.ItemId == "12").Stance);
    }

    [Fact]
    public void Validate_EveryItemAnswered_GivesAnswersInAgendaOrder()
    {
        var (replies, errors) = ReplySubmission.Validate([Item("12", "agree"), Item("5.I", "AgreeWithRemarks", " Add SDG 4. ")], Soia(), previous: null);

        Assert.Empty(errors);
        Assert.NotNull(replies);
        Assert.Equal(["5.I", "12"], replies.Select(r => r.ItemId));
        Assert.Equal(Stance.Agree, replies[1].Stance);
        Assert.Equal("Add SDG 4.", replies[0].Remarks);
    }

    [Fact]
    public void Validate_FirstReplyMissesAnItem_NamesTheMissingItem()
    {
        var (replies, errors) = ReplySubmission.Validate([Item("5.I", "Agree")], Soia(), previous: null);

        Assert.Null(replies);
        Assert.Contains("12", errors["items"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AmendmentNamesOneItem_KeepsTheEarlierAnswerForTheOthers()
    {
        var previous = Reply("education", ("5.I", Stance.Agree, null), ("12", Stance.NotCompetent, null));

        var (replies, _) = ReplySubmission.Validate([Item("5.I", "Objection", "Changed our mind.")], Soia(), previous);

        Assert.Equal(Stance.Objection, replies![0].Stance);
        Assert.Equal(Stance.NotCompetent, replies[1].Stance);
    }

    public static TheoryData<string, ReplyItemRequest?> BadItems => new()
    {
        { "items[0].itemId", Item("99", "Agree") },
        { "items[0].itemId", Item("../../x", "Agree") },
        { "items[0].stance", Item("5.I", "Maybe") },
        { "items[0].stance", Item("5.I", "2") },
        { "items[0].stance", Item("5.I", null) },
        { "items[0].remarks", Item("5.I", "Objection") },
        { "items[0].remarks", Item("5.I", "AgreeWithRemarks", "   ") },
        { "items[0].remarks", Item("5.I", "Agree", new string('x', ReplySubmission.MaxRemarksLength + 1)) },
        { "items[0].remarks", Item("5.I", "Agree", "bell\u0007") },
        { "items[0]", null },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public void Validate_BadItem_IsReportedUnderItsField(string field, ReplyItemRequest? item)
    {
        var (replies, errors) = ReplySubmission.Validate([item, Item("12", "Agree")], Soia(), previous: null);

        Assert.Null(replies);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Validate_SameItemTwice_IsRefused()
    {
        var (replies, errors) = ReplySubmission.Validate([Item("5.I", "Agree"), Item("5.I", "NotCompetent"), Item("12", "Agree")], Soia(), previous: null);

        Assert.Null(replies);
        Assert.Contains("items[1].itemId", errors.Keys);
    }
}
