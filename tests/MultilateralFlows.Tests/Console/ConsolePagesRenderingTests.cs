using System.Text.Encodings.Web;
using MultilateralFlows.Http;
using MultilateralFlows.Localization;
using MultilateralFlows.Pages.Console;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Console;

/// <summary>The console's pages as HTML: user text stays text, words instead of enum names, errors tied to their fields.</summary>
public sealed class ConsolePagesRenderingTests
{
    const string Sneaky = "<script>alert(1)</script> & <b>bold</b>";
    static readonly SignedInPerson Person = new("ann.peeters@example.be", $"Ann {Sneaky}", ["Coordinator"]);
    static readonly IReadOnlyList<Participant> Directory = ParticipantDirectory.Shipped;

    static RoundSummary Summary(string title, string organisation, RoundPhase phase = RoundPhase.Collecting) =>
        new("r-1", Procedure.COORMULTI, title, organisation, MeetingKind.BoardMeeting, phase, 1,
            new DateTimeOffset(2026, 12, 15, 16, 0, 0, TimeSpan.Zero), Now, null, "/api/rounds/r-1");

    static Task<string> RoundsAsync(string language, IReadOnlyList<RoundSummary> rounds, Dictionary<string, string[]>? errors = null) =>
        ComponentHtml.RenderAsync<RoundsPage>(new Dictionary<string, object?>
        {
            [nameof(RoundsPage.Texts)] = ConsoleTexts.For(language),
            [nameof(RoundsPage.Person)] = Person,
            [nameof(RoundsPage.Query)] = new RoundsQuery(Search: Sneaky),
            [nameof(RoundsPage.Rounds)] = rounds,
            [nameof(RoundsPage.Errors)] = errors ?? [],
        });

    static Task<string> StartAsync(
        StartRoundForm form, Dictionary<string, string[]>? errors = null, RoundPreview? preview = null, string language = "en") =>
        ComponentHtml.RenderAsync<StartRoundPage>(new Dictionary<string, object?>
        {
            [nameof(StartRoundPage.Texts)] = ConsoleTexts.For(language),
            [nameof(StartRoundPage.Person)] = Person,
            [nameof(StartRoundPage.Form)] = form,
            [nameof(StartRoundPage.Directory)] = Directory,
            [nameof(StartRoundPage.Errors)] = errors ?? [],
            [nameof(StartRoundPage.Preview)] = preview,
        });

    [Fact]
    public async Task RoundsPage_UserText_IsEncodedEverywhere()
    {
        var html = await RoundsAsync("en", [Summary($"Board {Sneaky}", $"UNESCO {Sneaky}")]);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold", html, StringComparison.Ordinal);
        Assert.Contains("Board &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("UNESCO &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Ann &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/console/rounds/r-1\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Antwoorden verzamelen", "COORMULTI (Belgisch standpunt)", "Bestuursvergadering", "2026-12-15 17:00 Brusselse tijd")]
    [InlineData("fr", "Collecte des réponses", "COORMULTI (position belge)", "Réunion du conseil", "2026-12-15 17:00 heure de Bruxelles")]
    [InlineData("en", "Collecting replies", "COORMULTI (Belgian position)", "Board meeting", "2026-12-15 17:00 Brussels time")]
    public async Task RoundsPage_Language_PhasesProceduresAndKindsAreWords(string language, string phase, string procedure, string kind, string deadline)
    {
        var html = await RoundsAsync(language, [Summary("Board", "UNESCO")]);

        Assert.Contains($"<html lang=\"{language}\"", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{phase}</td>", html, StringComparison.Ordinal);
        Assert.Contains(procedure, html, StringComparison.Ordinal);
        Assert.Contains(kind, html, StringComparison.Ordinal);
        Assert.Contains(deadline, html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Collecting<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layout_EveryPage_HasSkipLinkMainMenuSignOutAndLanguages()
    {
        var html = await RoundsAsync("en", []);

        Assert.Contains("<a class=\"skip\" href=\"#main\">Skip to main content</a>", html, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/api/console/sign-out\">", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/console/rounds\" aria-current=\"page\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"?lang=nl\" lang=\"nl\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"true\">English</a>", html, StringComparison.Ordinal);
        Assert.Contains("No rounds match these filters.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRoundPage_Errors_SummaryLinksToEachFieldWhichSaysWhatIsWrong()
    {
        var errors = new Dictionary<string, string[]>
        {
            ["title"] = ["Required."],
            ["item1-text"] = ["Required: the draft position or question text."],
            ["areas"] = ["'flanders' is a Belgian entity; a SOIA round consults Flemish policy areas."],
        };

        var html = await StartAsync(StartRoundForm.Blank("ann@example.be"), errors);

        Assert.Contains("id=\"error-summary\"", html, StringComparison.Ordinal);
        Assert.Contains("tabindex=\"-1\" autofocus", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#title\">Title: Required.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#item1-text\">Item 2, Draft position or question: Required: the draft position or question text.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#area-foreign-affairs\">Flemish policy areas: &#x27;flanders&#x27; is a Belgian entity", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"field-error\" id=\"title-error\">Required.</p>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"title\" name=\"title\" value=\"\" maxlength=\"200\" autocomplete=\"off\" aria-describedby=\"title-error\" aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"item1-text-error\" aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-describedby=\"organisation-hint organisation-error\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRoundPage_NoErrors_NoSummaryAndFieldsNotInvalid()
    {
        var html = await StartAsync(StartRoundForm.Blank("ann@example.be"));

        Assert.DoesNotContain("id=\"error-summary\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-invalid=\"true\"", html.Split("</style>")[1], StringComparison.Ordinal);
        Assert.Contains("name=\"idempotencyKey\" value=\"console-", html, StringComparison.Ordinal);
        Assert.Contains("value=\"ann@example.be\"", html, StringComparison.Ordinal);
        Assert.Equal(StartRoundForm.BlankRows, html.Split("<legend>Item ").Length - 1);
        Assert.Contains("id=\"entity-flanders\" name=\"entities\" value=\"flanders\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"area-education\" name=\"areas\" value=\"education\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRoundPage_TypedText_ComesBackEncodedInTheFields()
    {
        var form = StartRoundForm.Blank("ann@example.be") with
        {
            Title = $"Board {Sneaky}",
            Items = [new ItemRow("5.I", $"Budget {Sneaky}", $"Line one\n</textarea>{Sneaky}")],
        };

        var html = await StartAsync(form);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</textarea><script>", html, StringComparison.Ordinal);
        Assert.Contains("Line one&#xA;&lt;/textarea&gt;&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRoundPage_PreviewOfALinkedRound_SaysWhoGetsMailAndWhoCoordinatesFlanders()
    {
        var round = Coormulti(["federal", "flanders", "wallonia"], ["education", "environment", "culture-youth-media"]) with
        {
            SoiaCoordinatorEmail = "soia.lead@vlaanderen.example",
            SilenceProcedure = true,
        };
        var preview = RoundPreview.Of(round, Directory.ToDictionary(p => p.Code));

        var html = await StartAsync(StartRoundForm.Blank("ann@example.be") with { Action = StartRoundForm.PreviewAction }, preview: preview);

        Assert.Contains("What will happen when you start the round", html, StringComparison.Ordinal);
        Assert.Contains("FPS Foreign Affairs (federal level)", html, StringComparison.Ordinal);
        Assert.Contains("multilateral@wallonie.example", html, StringComparison.Ordinal);
        Assert.Contains("A linked SOIA round starts in which 3 Flemish policy areas agree Flanders&#x27; position; it is coordinated by soia.lead@vlaanderen.example.", html, StringComparison.Ordinal);
        Assert.Contains("soia.education@vlaanderen.example", html, StringComparison.Ordinal);
        Assert.Contains("Silence procedure: whoever has not replied by then counts as agreeing.", html, StringComparison.Ordinal);
        Assert.Contains("The draft position and the notices go to coordinator@vlaanderen.example.", html, StringComparison.Ordinal);
    }
}
