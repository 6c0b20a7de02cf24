using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Http;
using MultilateralFlows.Localization;
using MultilateralFlows.Pages.Console;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Pages.Console;

/// <summary>The console's round page rendered from a model: what it shows, in words, encoded, and how refusals read.</summary>
public sealed partial class RoundPageTests
{
    const string Sneaky = "<img src=x onerror=\"alert(1)\"> & <b>bold</b>";

    static readonly RoundDefinition Round = TestRounds.Soia("education", "environment", "culture-youth-media") with
    {
        Title = $"UNESCO Board {Sneaky}",
    };

    static RequestRow Request(string code, int version = 0, string? delivery = null, string? detail = null) => new()
    {
        PartitionKey = Round.Id,
        RowKey = "request-" + code,
        Participant = code,
        Name = $"Name of {code}",
        RequestedAt = TestRounds.Now,
        LatestVersion = version,
        LastRepliedAt = version > 0 ? TestRounds.Now.AddHours(1) : null,
        DeliveryState = delivery,
        DeliveryDetail = detail,
    };

    static PositionDocument Position(int version, IReadOnlyList<Contribution> replies, IReadOnlyDictionary<string, ItemSettlement>? settled = null) =>
        PositionAssembler.Assemble(
            Round, TestRounds.Direct(Round), replies, Round.Participants.ToDictionary(p => p, p => $"Name of {p}"), version,
            PositionStatus.Draft, TestRounds.Now.AddDays(1), settled);

    static RoundPageModel Model(
        RoundPhase phase = RoundPhase.Collecting,
        int positionVersion = 0,
        PositionDocument? shown = null,
        PositionDocument? previous = null,
        RoundPageProblem? problem = null,
        string language = "en",
        IReadOnlyList<Contribution>? replies = null)
    {
        replies ??= [TestRounds.Reply("education", ("5.I", Stance.Objection, $"Too costly {Sneaky}"), ("12", Stance.Agree, null))];
        var record = new RoundRecord(Round, phase, 1, [], phase == RoundPhase.Collecting ? null : TestRounds.Now, positionVersion);
        var requests = new[]
        {
            Request("culture-youth-media", delivery: nameof(DeliveryState.Bounced), detail: "mailbox full"),
            Request("education", 2, nameof(DeliveryState.Delivered)),
            Request("environment", delivery: nameof(DeliveryState.Sent)),
        };
        var soFar = Position(positionVersion, replies);
        var status = RoundStatus.From(record, requests, soFar, [], TestRounds.Now);
        var audit = new[] { new AuditEntry(TestRounds.Now, "RoundCreated", $"coordinator {Sneaky}", "Created.") };
        return new RoundPageModel(
            status, soFar, RoundActionsApi.SilentCount(record, requests), shown, previous, audit, ConsoleTexts.For(language), null,
            Problem: problem);
    }

    static Task<string> RenderAsync(RoundPageModel model) =>
        ComponentHtml.RenderAsync<RoundPage>(new Dictionary<string, object?> { [nameof(RoundPage.Model)] = model });

    /// <summary>The page's text as a browser reads it (the renderer writes characters outside ASCII as references).</summary>
    static async Task<string> RenderTextAsync(RoundPageModel model) => System.Net.WebUtility.HtmlDecode(await RenderAsync(model));

    [Fact]
    public async Task Render_UserWrittenText_IsEncodedEverywhere()
    {
        var html = await RenderAsync(Model(RoundPhase.Reviewing, 1, shown: Position(1, [TestRounds.Reply("education",
            ("5.I", Stance.Objection, $"Too costly {Sneaky}"), ("12", Stance.Agree, null))])));

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold", html, StringComparison.Ordinal);
        Assert.Contains("UNESCO Board &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Too costly &lt;img", html, StringComparison.Ordinal);
        Assert.Contains("coordinator &lt;img", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Participants_StateAndDeliveryInWords()
    {
        var html = await RenderTextAsync(Model(language: "nl"));

        Assert.Matches(Row("education", "Gewijzigd \\(versie 2\\)", "Afgeleverd"), html);
        Assert.Matches(Row("culture-youth-media", "Gevraagd, nog geen antwoord", "Geweigerd door de ontvanger"), html);
        Assert.Contains("mailbox full", html, StringComparison.Ordinal);
        Assert.Matches(Row("environment", "Gevraagd, nog geen antwoord", "Verzonden"), html);
        Assert.Contains("<html lang=\"nl\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Requested<", html, StringComparison.Ordinal);
    }

    static Regex Row(string code, string state, string delivery) =>
        new($"data-participant=\"{code}\"[^>]*>.*?<td class=\"state\">{state}</td>\\s*<td class=\"delivery\">\\s*{delivery}", RegexOptions.Singleline);

    [Fact]
    public async Task Render_Tally_CountsEachStancePerItem()
    {
        var replies = new[]
        {
            TestRounds.Reply("education", ("5.I", Stance.Objection, "No."), ("12", Stance.Agree, null)),
            TestRounds.Reply("environment", ("5.I", Stance.AgreeWithRemarks, "Yes, but."), ("12", Stance.NotCompetent, null)),
        };

        var html = await RenderAsync(Model(replies: replies));

        var budget = Regex.Match(html, "<tr data-item=\"5.I\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Equal(["0", "1", "1", "0", "1"], Regex.Matches(budget, "<td class=\"count\"[^>]*>(\\d+)</td>").Select(m => m.Groups[1].Value));
        Assert.Contains("Divergent", budget, StringComparison.Ordinal);
        var neuro = Regex.Match(html, "<tr data-item=\"12\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Equal(["1", "0", "0", "1", "1"], Regex.Matches(neuro, "<td class=\"count\"[^>]*>(\\d+)</td>").Select(m => m.Groups[1].Value));
        Assert.Equal(new RoundPageTally(0, 1, 1, 0, 1, 0), RoundPageTally.Of(Position(0, replies).Items[0]));
    }

    [Fact]
    public void Changes_BetweenVersions_SayWhatChangedPerItemInWords()
    {
        var texts = ConsoleTexts.For("en");
        var before = Position(1, [TestRounds.Reply("education", ("5.I", Stance.Objection, "Too costly."), ("12", Stance.Agree, null))]);
        var settlement = new ItemSettlement(SettlementKind.Compromise, "Zero growth, SDG 4 kept.", null, null, TestRounds.Now, 1);
        var after = Position(2, [new Contribution("education", 2, TestRounds.Now, [
            new ItemReply("5.I", Stance.Objection, "Far too costly."), new ItemReply("12", Stance.Agree, null)])],
            new Dictionary<string, ItemSettlement> { ["5.I"] = settlement });
        var environmentLater = Position(3, [
            new Contribution("education", 2, TestRounds.Now, [new ItemReply("5.I", Stance.Objection, "Far too costly."), new ItemReply("12", Stance.Agree, null)]),
            TestRounds.Reply("environment", ("5.I", Stance.Agree, null), ("12", Stance.Agree, null))],
            new Dictionary<string, ItemSettlement> { ["5.I"] = settlement });

        var budget = RoundPageChanges.Between(before.Items[0], after.Items[0], texts);
        var neuro = RoundPageChanges.Between(before.Items[1], after.Items[1], texts);
        var replied = RoundPageChanges.Between(after.Items[1], environmentLater.Items[1], texts);

        Assert.Equal(
            [
                new RoundPageChange("Name of education changed their remarks.", "Too costly.", "Far too costly."),
                new RoundPageChange("Settlement: not settled → Compromise"),
                new RoundPageChange("The settled text changed.", null, "Zero growth, SDG 4 kept."),
            ],
            budget);
        Assert.Empty(neuro);
        Assert.Equal([new RoundPageChange("Name of environment: No reply → Agree")], replied);
        Assert.Empty(RoundPageChanges.Between(null, after.Items[0], texts));
    }

    [Fact]
    public async Task Render_TwoVersions_ShowsThePickerAndTheChangesPerItem()
    {
        var before = Position(1, [TestRounds.Reply("education", ("5.I", Stance.Objection, "Too costly."), ("12", Stance.Agree, null))]);
        var after = Position(2, [TestRounds.Reply("education", ("5.I", Stance.Agree, null), ("12", Stance.Agree, null))]);

        var html = await RenderTextAsync(Model(RoundPhase.Reviewing, 2, after, before));

        Assert.Contains("<select id=\"version\" name=\"version\">", html, StringComparison.Ordinal);
        Assert.Contains("What changed since version 1", html, StringComparison.Ordinal);
        Assert.Contains("Name of education: Disagree → Agree", html, StringComparison.Ordinal);
        Assert.Contains("Outcome: Divergent → Consensus", html, StringComparison.Ordinal);
        Assert.Contains("Approve version 2 as final", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_InReview_ASettleFormPerDivergentItemOnly()
    {
        var draft = Position(1, [TestRounds.Reply("education", ("5.I", Stance.Objection, "No."), ("12", Stance.Agree, null))]);

        var html = await RenderAsync(Model(RoundPhase.Reviewing, 1, draft));

        Assert.Contains("action=\"/api/console/rounds/r1/items/5.I/settlement\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/items/12/settlement", html, StringComparison.Ordinal);
        Assert.Contains("id=\"settle-1-how-Compromise\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"education\">Name of education</option>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/deadline\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Problem_SummaryLinksToTheFieldWhichIsMarkedAndDescribed()
    {
        var problem = new RoundPageProblem(
            "settle", "5.I", new Dictionary<string, string[]> { ["text"] = ["Required for a compromise: the compromise text."] },
            new Dictionary<string, string> { ["how"] = "Compromise", ["text"] = "" }, ["text"]);
        var draft = Position(1, [TestRounds.Reply("education", ("5.I", Stance.Objection, "No."), ("12", Stance.Agree, null))]);

        var html = await RenderAsync(Model(RoundPhase.Reviewing, 1, draft, problem: problem, language: "fr"));

        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#settle-1-text\" lang=\"en\">Required for a compromise: the compromise text.</a>", html, StringComparison.Ordinal);
        Assert.Matches("<p class=\"field-error\" id=\"settle-1-text-error\" lang=\"en\">", html);
        Assert.Matches("<textarea id=\"settle-1-text\"[^>]*aria-describedby=\"settle-1-text-error\"[^>]*aria-invalid=\"true\"", html);
        Assert.Matches("id=\"settle-1-how-Compromise\"[^>]*checked", html);
        Assert.Contains("Ceci n'a pas été fait", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ActionAnswers_StatusFieldsAndDetail()
    {
        var invalid = RoundPageApi.Read(Problems.Invalid(new Dictionary<string, string[]> { ["how"] = ["Required."] }));
        var conflict = RoundPageApi.Read(Problems.Conflict("The round is Final."));
        var accepted = RoundPageApi.Read(Results.Json(new { }, statusCode: 202));

        Assert.Equal(400, invalid.Status);
        Assert.Equal(["Required."], invalid.Errors["how"]);
        Assert.Equal((409, "The round is Final."), (conflict.Status, conflict.Detail));
        Assert.Empty(conflict.Errors);
        Assert.Equal(202, accepted.Status);
    }

    [Theory]
    [InlineData("2026-12-15 17:00", "2026-12-15T17:00:00+01:00")]
    [InlineData("2027-07-01T09:30", "2027-07-01T09:30:00+02:00")]
    [InlineData("2026-12-15", "2026-12-15")]
    [InlineData(" tomorrow ", "tomorrow")]
    public void IsoDeadline_TypedInBrussels_TheApisFormWithTheOffsetOfThatDay(string typed, string expected) =>
        Assert.Equal(expected, RoundPageApi.IsoDeadline(typed));

    public static TheoryData<string> Languages => ["nl", "fr"];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Resources_Translation_HasEveryKeyWithTheSameValuesToFillIn(string language)
    {
        var neutral = Entries(CultureInfo.InvariantCulture);
        var own = Entries(CultureInfo.GetCultureInfo(language));

        Assert.Equal(neutral.Keys.Order(StringComparer.Ordinal), own.Keys.Order(StringComparer.Ordinal));
        Assert.All(neutral, entry =>
        {
            Assert.False(string.IsNullOrWhiteSpace(own[entry.Key]), $"{language}: {entry.Key} is empty");
            Assert.Equal(Placeholders(entry.Value), Placeholders(own[entry.Key]));
        });
    }

    [Fact]
    public void Texts_EveryKeyThePagesUseAndEveryEnumWord_InEveryLanguage()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "functions", "MultilateralFlows.Workflow", "Pages", "Console");
        var used = Directory.GetFiles(folder, "RoundPage*.razor").Concat(Directory.GetFiles(folder, "RoundPage*.cs"))
            .SelectMany(file => UsedKey().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
            .Distinct()
            .ToList();

        Assert.NotEmpty(used);
        foreach (var texts in ConsoleTexts.All)
        {
            Assert.All(used, key => Assert.False(string.IsNullOrWhiteSpace(texts[key])));
            Assert.All(Enum.GetValues<RoundPhase>(), phase => Assert.NotEmpty(texts.Phase(phase)));
            Assert.All(Enum.GetValues<ParticipantState>(), state => Assert.NotEmpty(texts.State(state, 2)));
            Assert.All(Enum.GetValues<DeliveryState>().Select(d => (DeliveryState?)d).Append(null), delivery => Assert.NotEmpty(texts.Delivery(delivery)));
            Assert.All(Enum.GetValues<PositionStance>(), stance => Assert.NotEmpty(texts.Stance(stance)));
            Assert.All(Enum.GetValues<ItemOutcome>(), outcome => Assert.NotEmpty(texts.Outcome(outcome)));
            Assert.All(Enum.GetValues<Competence>(), competence => Assert.NotEmpty(texts.Competence(competence)));
            Assert.All(Enum.GetValues<SettlementKind>(), how => Assert.NotEmpty(texts.Settled(how) + texts.SettleChoice(how)));
        }
    }

    [Theory]
    [InlineData("fr-BE,fr;q=0.9,en;q=0.8", null, "fr")]
    [InlineData("de-DE,de;q=0.9", null, "en")]
    [InlineData("de-DE,nl;q=0.5", null, "nl")]
    [InlineData("fr", "nl", "nl")]
    [InlineData("fr", "de", "fr")]
    public void For_Request_QueryThenBrowserLanguageThenEnglish(string acceptLanguage, string? lang, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = acceptLanguage;
        if (lang is not null)
        {
            context.Request.QueryString = new QueryString($"?lang={lang}");
        }

        Assert.Equal(expected, MultilateralFlows.Pages.Console.ConsoleLanguage.Choose(context.Request).Language);
    }

    static Dictionary<string, string> Entries(CultureInfo culture)
    {
        var set = ConsoleTexts.Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new MissingManifestResourceException($"No round page texts for '{culture.Name}'.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    static List<string> Placeholders(string format) =>
        [.. Regex.Matches(format, @"\{(\d+)\}").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"(?:T|Texts|texts)(?:\[""(\w+)""\]|\.Format\(""(\w+)"")")]
    private static partial Regex UsedKey();
}
