using System.Text.Json.Nodes;
using MultilateralFlows.Consolidation;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Consolidation;

public sealed class PositionRendererTests
{
    const string Script = "<script>alert('x')</script>";

    static PositionDocument Position(string remarks, string title = "UNESCO Executive Board")
    {
        var round = Soia("education", "environment") with { Title = title };
        return PositionAssembler.Assemble(round, Direct(round),
            [ReplyToAll("education", Stance.Objection, remarks), ReplyToAll("environment", Stance.Agree)],
            new Dictionary<string, string>(), 3, PositionStatus.Draft, Now);
    }

    [Fact]
    public void ToJson_Position_HasTheContractFields()
    {
        var json = JsonNode.Parse(PositionRenderer.ToJson(Position("Too costly.")))!;

        Assert.Equal("r1", json["roundId"]!.GetValue<string>());
        Assert.Equal("SOIA", json["procedure"]!.GetValue<string>());
        Assert.Equal("UNESCO Executive Board", json["title"]!.GetValue<string>());
        Assert.Equal(3, json["version"]!.GetValue<int>());
        Assert.Equal("Draft", json["status"]!.GetValue<string>());
        var item = json["items"]![0]!;
        Assert.Equal("5.I", item["itemId"]!.GetValue<string>());
        Assert.Equal("Budget", item["title"]!.GetValue<string>());
        Assert.Equal("Divergence", item["outcome"]!.GetValue<string>());
        var stance = item["stances"]![0]!;
        Assert.Equal("education", stance["participant"]!.GetValue<string>());
        Assert.Equal("Objection", stance["stance"]!.GetValue<string>());
        Assert.Equal("Too costly.", stance["remarks"]!.GetValue<string>());
        Assert.Empty(item["missing"]!.AsArray());
    }

    [Fact]
    public void ToHtml_UserTextWithMarkup_IsEncodedEverywhere()
    {
        var html = PositionRenderer.ToHtml(Position(Script, title: $"Title {Script}"));

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_UserTextWithMarkupAndPipes_CannotBreakTheTableOrInjectHtml()
    {
        var markdown = PositionRenderer.ToMarkdown(Position($"a | b\nsecond line {Script}"));

        var row = markdown.Split('\n').First(l => l.Contains("`education`", StringComparison.Ordinal));
        Assert.Contains(@"a \| b<br>second line \<script\>", row, StringComparison.Ordinal);
        var cells = System.Text.RegularExpressions.Regex.Split(row.Trim(), @"(?<!\\)\|");
        Assert.Equal(5, cells.Length);
    }

    [Fact]
    public void ToMarkdown_Position_ShowsOutcomePerItemAndSummary()
    {
        var markdown = PositionRenderer.ToMarkdown(Position("No."));

        Assert.Contains("## 1. Budget — Divergence", markdown, StringComparison.Ordinal);
        Assert.Contains("## 2. Neurotechnology — Divergence", markdown, StringComparison.Ordinal);
        Assert.Contains("divergence on 2", markdown, StringComparison.Ordinal);
    }
}
