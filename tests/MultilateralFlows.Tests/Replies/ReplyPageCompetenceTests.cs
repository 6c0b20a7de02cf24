using MultilateralFlows.Participants;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Replies;

/// <summary>The reply form says per item who is competent and who leads, and tells a participant that is not competent.</summary>
public sealed class ReplyPageCompetenceTests
{
    static readonly IReadOnlyDictionary<string, Participant> Directory = ParticipantDirectory.Shipped.ToDictionary(p => p.Code);

    static async Task<string> FormAsync(string seat, string language, IReadOnlyDictionary<string, Participant>? directory = null)
    {
        var round = Coormulti(["federal", "flanders", "wallonia"], ["education"]) with
        {
            Items =
            [
                new AgendaItem("5.I", "Education 2030", "Support.", Competence.Federated, "flanders"),
                new AgendaItem("12", "Budget", "Zero growth."),
            ],
        };
        var record = new RoundRecord(round, RoundPhase.Collecting, 1, [], null, 0);
        var page = await ReplyPage.FormAsync(200, record, "Someone", new Dictionary<string, MultilateralFlows.Consolidation.ItemReply>(), 0, ReplyPageTexts.For(language),
            seat: seat, directory: directory ?? Directory);
        return page.Html;
    }

    static string Fieldset(string page, string itemId) => page[page.IndexOf($"<fieldset id=\"item-{itemId}\"", StringComparison.Ordinal)..]
        .Split("</fieldset>")[0];

    [Fact]
    public async Task Form_FederalLevelOnAFederatedItem_SaysTheCompetenceTheLeadAndThatItsAnswerDoesNotCount()
    {
        var item = System.Net.WebUtility.HtmlDecode(Fieldset(await FormAsync("federal", "fr"), "5.I"));

        Assert.Contains(
            "<p class=\"competence\">Compétence : les communautés et les régions. Flanders est chef de file pour ce point. "
            + "Vous n'êtes pas compétent pour ce point",
            item, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_AreaAnsweringForFlandersOnAFederatedItem_CompetentSoNoNote()
    {
        var item = Fieldset(await FormAsync("flanders", "nl"), "5.I");

        Assert.Contains("Bevoegdheid: de gemeenschappen en gewesten. Flanders is trekker voor dit punt.</p>", item, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_MixedItemWithoutALead_SaysNothingOfCompetence()
    {
        Assert.DoesNotContain("class=\"competence\"", Fieldset(await FormAsync("federal", "en"), "12"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_LeadNameWithMarkup_IsEncoded()
    {
        var directory = Directory.ToDictionary(p => p.Key, p => p.Value);
        directory["flanders"] = directory["flanders"] with { Name = "<img src=x onerror=alert(1)>" };

        var item = Fieldset(await FormAsync("wallonia", "en", directory), "5.I");

        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; leads on this item.", item, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", item, StringComparison.Ordinal);
    }
}
