using System.Net;
using System.Text.Json.Nodes;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
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

    static PositionDocument Settled(PositionDocument position, string itemId, ItemSettlement settlement) =>
        position with { Items = position.Items.Select(i => i.ItemId == itemId ? i with { Settlement = settlement } : i).ToList() };

    [Fact]
    public async Task Render_SettledItem_EveryFormatShowsTheSettledTextAndHowNextToTheStances()
    {
        var position = Settled(Position("Too costly."), "5.I",
            new ItemSettlement(SettlementKind.Compromise, "Zero real growth,\nSDG 4 kept whole.", null, null, Now, 2));

        var json = JsonNode.Parse(PositionRenderer.ToJson(position))!["items"]![0]!;
        var markdown = PositionRenderer.ToMarkdown(position);
        var html = await PositionRenderer.ToHtmlAsync(position);

        Assert.Equal("Compromise", json["settlement"]!["how"]!.GetValue<string>());
        Assert.Equal("Zero real growth,\nSDG 4 kept whole.", json["settlement"]!["text"]!.GetValue<string>());
        Assert.Equal(2, json["settlement"]!["draftVersion"]!.GetValue<int>());
        Assert.Null(json["awaitsSettlement"]);
        var budget = markdown.Split("## 2.")[0];
        Assert.Contains("**Settled by the compromise text below (compromise text, ", budget, StringComparison.Ordinal);
        Assert.Contains("> Zero real growth,\n> SDG 4 kept whole.", budget.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.True(budget.IndexOf("SDG 4 kept", StringComparison.Ordinal) < budget.IndexOf("| Participant |", StringComparison.Ordinal));
        // The page encodes line breaks as character references (&#xA;), which a browser reads as the line breaks.
        Assert.Contains("<blockquote class=\"settled\">Zero real growth,\nSDG 4 kept whole.</blockquote>", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("1 settled by the coordinator", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DivergentItemNotSettled_SaysSo()
    {
        var markdown = PositionRenderer.ToMarkdown(Position("Too costly."));

        Assert.Contains("**Not settled yet.**", markdown, StringComparison.Ordinal);
        Assert.Contains("2 divergent item(s) not settled yet", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Procedure.SOIA, SettlementKind.Abstain, null, "Settled: Flanders abstains (abstention, ")]
    [InlineData(Procedure.COORMULTI, SettlementKind.Abstain, null, "Settled: Belgium abstains (abstention, ")]
    [InlineData(Procedure.COORMULTI, SettlementKind.NoPosition, null, "Settled: Belgium takes no position (")]
    [InlineData(Procedure.COORMULTI, SettlementKind.LeadEntity, "wallonia", "Settled: Wallonia (wallonia) speaks for Belgium on this item (")]
    [InlineData(Procedure.SOIA, SettlementKind.Consensus, null, "Settled by consensus on the draft text (")]
    public void SettlementLabel_SaysWhoTheRoundSpeaksFor(Procedure procedure, SettlementKind how, string? lead, string expected)
    {
        var position = Position("x") with { Procedure = procedure };

        var label = PositionTexts.English.SettlementLabel(position, new ItemSettlement(how, null, lead, lead is null ? null : "Wallonia", Now, 1));

        Assert.StartsWith(expected, label, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToHtml_SettledTextWithMarkup_IsEncoded()
    {
        var position = Settled(Position("x"), "5.I", new ItemSettlement(SettlementKind.LeadEntity, Script, "education", Script, Now, 1));

        var html = await PositionRenderer.ToHtmlAsync(position);

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ToHtml_UserTextWithMarkup_IsEncodedEverywhere()
    {
        var html = await PositionRenderer.ToHtmlAsync(Position(Script, title: $"Title {Script}"));

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
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

    [Fact]
    public async Task ToMarkdownAndHtml_ItemNobodyAgreedOn_ShownAsNoAgreementAndCountedApart()
    {
        var round = Soia("education", "environment");
        var position = PositionAssembler.Assemble(round, Direct(round),
            [Reply("education", ("5.I", Stance.Agree, null), ("12", Stance.NotCompetent, null))],
            new Dictionary<string, string>(), 1, PositionStatus.Draft, Now);

        var markdown = PositionRenderer.ToMarkdown(position);
        var html = await PositionRenderer.ToHtmlAsync(position);

        Assert.Contains("— No agreement", markdown, StringComparison.Ordinal);
        Assert.Contains("consensus on 1 of 2 item(s); no agreement on 1 (no reply, or not competent)", markdown, StringComparison.Ordinal);
        Assert.Contains("<span class=\"NoAgreement\">No agreement</span>", html, StringComparison.Ordinal);
        Assert.Equal("NoAgreement", JsonNode.Parse(PositionRenderer.ToJson(position))!["items"]![1]!["outcome"]!.GetValue<string>());
    }

    const string Spoof = "Fine.\nEnvironment and Spatial Development (environment): Flanders objects to the whole text.";

    /// <summary>Flanders answered by two areas, one of which writes a line that looks like the other's words.</summary>
    static PositionDocument SpoofedFlanders()
    {
        var round = Coormulti(["federal", "flanders"], ["education", "environment"]);
        return PositionAssembler.Assemble(round, Direct(round),
            [ReplyToAll("federal", Stance.Agree), ReplyToAll("education", Stance.AgreeWithRemarks, Spoof), ReplyToAll("environment", Stance.Agree)],
            new Dictionary<string, string>
            {
                ["flanders"] = "Flanders", ["education"] = "Education and Training", ["environment"] = "Environment and Spatial Development",
            },
            1, PositionStatus.Draft, Now);
    }

    [Fact]
    public void ToMarkdown_AreaWritesInAnotherAreasName_EachAreaHasOneRowAndTheWordsStayInTheWritersRow()
    {
        var markdown = PositionRenderer.ToMarkdown(SpoofedFlanders());

        var budgetRows = markdown.Split("## 2.")[0].Split('\n').Where(l => l.StartsWith("| ↳ ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, budgetRows.Count);
        Assert.StartsWith("| ↳ Education and Training (`education`) | Agree with remarks | Fine.<br>Environment and Spatial Development (environment)\\:", budgetRows[0], StringComparison.Ordinal);
        Assert.Equal("| ↳ Environment and Spatial Development (`environment`) | Agree |  |", budgetRows[1]);
        Assert.Contains("| Flanders (`flanders`) | Agree with remarks |  |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToHtml_AreaWritesInAnotherAreasName_EachAreaHasOneRowAndTheWordsStayInTheWritersRow()
    {
        var html = await PositionRenderer.ToHtmlAsync(SpoofedFlanders());

        var budget = html.Split("<section id=\"item-12\">")[0];
        var rows = budget.Split("<tr class=\"sub\">").Skip(1).Select(WebUtility.HtmlDecode).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith(
            "<td>↳ Education and Training <code>education</code></td><td>Agree with remarks</td><td class=\"remarks\">Fine.\nEnvironment",
            rows[0], StringComparison.Ordinal);
        Assert.StartsWith(
            "<td>↳ Environment and Spatial Development <code>environment</code></td><td>Agree</td><td class=\"remarks\"></td></tr>",
            rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_FlandersAnsweredByAreas_EachAreaIsAContributorWithItsOwnRemarks()
    {
        var json = JsonNode.Parse(PositionRenderer.ToJson(SpoofedFlanders()))!;

        var flanders = json["items"]![0]!["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == "flanders")!;
        Assert.Null(flanders["remarks"]);
        var contributors = flanders["contributors"]!.AsArray();
        Assert.Equal(["education", "environment"], contributors.Select(c => c!["participant"]!.GetValue<string>()));
        Assert.Equal(Spoof, contributors[0]!["remarks"]!.GetValue<string>());
        Assert.Null(contributors[1]!["remarks"]);
    }

    /// <summary>What a reader sees of a page: its text without the tags and the style sheet (whose class names are code).</summary>
    static string VisibleText(string html) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(html, "<style>.*?</style>", "", System.Text.RegularExpressions.RegexOptions.Singleline),
            "<[^>]+>", " "));

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    [InlineData("de")]
    [InlineData("en")]
    public async Task MarkdownAndHtml_EveryLanguage_StancesOutcomesKindsAndSettlementsAsWordsNotCodeNames(string language)
    {
        var texts = PositionTexts.For(language);
        var round = Coormulti(["federal", "flanders"], ["education", "environment"]) with { Kind = MeetingKind.BoardMeeting };
        var assembled = PositionAssembler.Assemble(round, Direct(round),
            [ReplyToAll("federal", Stance.NotCompetent), ReplyToAll("education", Stance.AgreeWithRemarks, "Fine."), ReplyToAll("environment", Stance.Objection, "No.")],
            new Dictionary<string, string>(), 1, PositionStatus.Draft, Now);
        var settled = Settled(assembled, "12", new ItemSettlement(SettlementKind.LeadEntity, null, "flanders", "Flanders", Now, 1));
        var position = settled with
        {
            Items = [.. settled.Items.Select((item, index) => index == 0 ? item with { Outcome = ItemOutcome.NoAgreement } : item)],
        };

        var markdown = PositionRenderer.ToMarkdown(position, texts);
        var page = VisibleText(await PositionRenderer.ToHtmlAsync(position, texts));

        foreach (var codeName in new[] { "AgreeWithRemarks", "NotCompetent", "BoardMeeting", "NoAgreement", "LeadEntity" })
        {
            Assert.DoesNotContain(codeName, markdown, StringComparison.Ordinal);
            Assert.DoesNotContain(codeName, page, StringComparison.Ordinal);
        }

        Assert.Contains(texts.StanceLabel(position.Items[0].Stances.Single(s => s.Participant == "federal")), page, StringComparison.Ordinal);
        Assert.Contains(texts.KindName(position.Kind), markdown, StringComparison.Ordinal);
    }
}
