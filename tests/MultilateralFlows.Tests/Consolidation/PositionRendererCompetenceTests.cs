using System.Text.Json.Nodes;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Consolidation;

/// <summary>Each format says per item who is competent and who leads, and which stances do not count.</summary>
public sealed class PositionRendererCompetenceTests
{
    static PositionDocument Position(string leadName = "Flanders")
    {
        var round = Coormulti(["federal", "flanders", "wallonia"], ["education"]) with
        {
            Items =
            [
                new AgendaItem("5.I", "Budget", "Zero real growth.", Competence.Federated, "flanders"),
                new AgendaItem("12", "Neurotechnology", "Adopt."),
            ],
        };
        return PositionAssembler.Assemble(round, Direct(round),
            [ReplyToAll("federal", Stance.Objection, "No."), ReplyToAll("education", Stance.Agree), ReplyToAll("wallonia", Stance.Agree)],
            new Dictionary<string, string> { ["flanders"] = leadName, ["federal"] = "FPS Foreign Affairs" }, 1, PositionStatus.Draft, Now);
    }

    [Fact]
    public void ToJson_FederatedItemWithALead_CompetenceLeadAndTheNonCompetentStance()
    {
        var items = JsonNode.Parse(PositionRenderer.ToJson(Position()))!["items"]!.AsArray();

        var budget = items[0]!;
        Assert.Equal("Consensus", budget["outcome"]!.GetValue<string>());
        Assert.Equal("Federated", budget["competence"]!.GetValue<string>());
        Assert.Equal("flanders", budget["leadEntity"]!.GetValue<string>());
        Assert.Equal("Flanders", budget["leadName"]!.GetValue<string>());
        var stances = budget["stances"]!.AsArray().ToDictionary(s => s!["participant"]!.GetValue<string>());
        Assert.False(stances["federal"]!["competent"]!.GetValue<bool>());
        Assert.True(stances["wallonia"]!["competent"]!.GetValue<bool>());
        var neuro = items[1]!;
        Assert.Equal("Divergence", neuro["outcome"]!.GetValue<string>());
        Assert.Equal("Mixed", neuro["competence"]!.GetValue<string>());
        Assert.Null(neuro["leadEntity"]);
    }

    [Fact]
    public void ToMarkdown_FederatedItemWithALead_SaysTheCompetenceTheLeadAndWhatDoesNotCount()
    {
        var markdown = PositionRenderer.ToMarkdown(Position());

        var budget = markdown.Split("## 2.")[0];
        Assert.Contains("Item `5.I` · Competence: Federated (the communities and regions) · lead: Flanders (`flanders`).", budget, StringComparison.Ordinal);
        Assert.Contains("| FPS Foreign Affairs (`federal`) | Objection (not competent, not counted) | No. |", budget, StringComparison.Ordinal);
        Assert.Contains("Item `12` · Competence: Mixed", markdown.Split("## 2.")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToHtml_LeadNameWithMarkup_IsEncoded()
    {
        var html = await PositionRenderer.ToHtmlAsync(Position(leadName: "<b>Flanders</b>"));

        Assert.Contains(
            "<p class=\"competence\">Competence: Federated (the communities and regions) · lead: &lt;b&gt;Flanders&lt;/b&gt; <code>flanders</code></p>",
            html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"notcompetent\"><td>FPS Foreign Affairs <code>federal</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_LeadNameWithMarkdown_CannotBreakTheLine()
    {
        var markdown = PositionRenderer.ToMarkdown(Position(leadName: "[Flanders](https://evil.example) *x*"));

        Assert.Contains(@"lead: \[Flanders\](https\://evil.example) \*x\* (`flanders`).", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void PositionStoredBeforeCompetences_ReadsAsMixedWithEveryoneCompetent()
    {
        var json = JsonNode.Parse(PositionRenderer.ToJson(Position()))!;
        foreach (var item in json["items"]!.AsArray())
        {
            item!.AsObject().Remove("competence");
            item.AsObject().Remove("leadEntity");
            item.AsObject().Remove("leadName");
            foreach (var stance in item["stances"]!.AsArray())
            {
                stance!.AsObject().Remove("competent");
            }
        }

        var read = System.Text.Json.JsonSerializer.Deserialize<PositionDocument>(json.ToJsonString(), MultilateralFlows.Http.WorkflowJson.Options)!;

        Assert.All(read.Items, item => Assert.Equal(Competence.Mixed, item.Competence));
        Assert.All(read.Items, item => Assert.Null(item.LeadEntity));
        Assert.All(read.Items.SelectMany(i => i.Stances), s => Assert.True(s.Competent));
    }
}
