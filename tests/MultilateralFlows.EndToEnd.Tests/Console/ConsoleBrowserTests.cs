using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using MultilateralFlows.EndToEnd.Tests.Replies;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Console;

/// <summary>
/// The coordinator console in a real browser, on both hosts: the list of rounds with its filters, starting a round from
/// the form (with its preview, its errors, a double submit, and the keyboard alone), and an accessibility check of each
/// page with axe-core. With <c>MULTILATERALFLOWS_SCREENSHOTS</c> naming a folder, the tests leave their screenshots there
/// (the README's come from <c>docs/screenshots</c>).
/// </summary>
public abstract partial class ConsoleBrowserTests(HostKind kind, Browser browser) : HostTest(kind), IClassFixture<Browser>
{
    const string Sneaky = "<img src=x onerror=\"window.__xss=1\"> & <b>bold</b>";
    const string SignedInCoordinator = DevelopmentSignIn.Coordinator;

    readonly List<string> pageErrors = [];

    string Url(string path) => Host.BaseUrl + path;

    /// <summary>Each test's rounds carry an organisation of their own, so that a filter on it shows only them.</summary>
    readonly string organisation = $"OECD-{Guid.NewGuid():N}"[..13];

    /// <summary>A browser page the size of a laptop screen (or another), English, which records script and policy errors.</summary>
    async Task<IPage> PageAsync(int width = 1280, int height = 900, string locale = "en-GB")
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // A 400 or 404 a test asks for is logged as a failed load; anything else (a blocked script, a script error) counts.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                pageErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => pageErrors.Add(error);
        await SignInAsync(page);
        return page;
    }

    /// <summary>
    /// Signs the page's browser in as a coordinator through the development sign-in's form (the hosts under test have it
    /// on), as a person would, and checks that form's accessibility on the way.
    /// </summary>
    async Task SignInAsync(IPage page)
    {
        await DevelopmentSignIn.OpenFormAsync(page, Host.BaseUrl);
        await AssertAccessibleAsync(page, "the development sign-in");
        await DevelopmentSignIn.SubmitAsync(page);
    }

    /// <summary>axe-core in the page: no serious or critical violation of WCAG 2.1 A and AA (or axe's best practices).</summary>
    static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        var severe = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(severe.Count == 0, $"{what}: " + string.Join("\n", severe.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("MULTILATERALFLOWS_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
        }
    }

    static async Task<bool> FitsTheWidthAsync(IPage page) =>
        await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth");

    static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("document.activeElement ? document.activeElement.id : ''");

    /// <summary>
    /// Clicks a button that posts the form and waits for the page that comes back: the post's answer, and the navigation
    /// to it committed and parsed. Waiting for the answer alone is not enough: until the new document commits, the old
    /// one is still "loaded", and a look at it then meets a page being replaced.
    /// </summary>
    static async Task<IResponse> PostAsync(IPage page, Func<Task> press)
    {
        var navigated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == page.MainFrame)
            {
                navigated.TrySetResult();
            }
        }

        page.FrameNavigated += OnNavigated;
        try
        {
            var answer = await page.RunAndWaitForResponseAsync(press, r => r.Request.Method == "POST" && r.Request.IsNavigationRequest);
            await navigated.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            return answer;
        }
        finally
        {
            page.FrameNavigated -= OnNavigated;
        }
    }

    static string DeadlineValue(int days) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(days), TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels"))
            .ToString("yyyy-MM-dd'T'17:00", CultureInfo.InvariantCulture);

    /// <summary>The COORMULTI rounds of this test's organisation, through the API.</summary>
    async Task<IReadOnlyList<JsonObject>> CoormultiRoundsAsync()
    {
        var list = await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds?organisation={organisation}&procedure=COORMULTI");
        return [.. list!["rounds"]!.AsArray().Select(r => r!.AsObject())];
    }

    async Task FillCoormultiAsync(IPage page, string title)
    {
        await page.FillAsync("#title", title);
        await page.FillAsync("#organisation", organisation);
        await page.SelectOptionAsync("#kind", "ExpertMeeting");
        await page.CheckAsync("#procedure-COORMULTI");
        await page.FillAsync("#deadline", DeadlineValue(10));
        await page.CheckAsync("#silenceProcedure");
        await page.FillAsync("#coordinatorEmail", "coormulti@diplobel.example");
        foreach (var entity in new[] { "federal", "flanders", "wallonia" })
        {
            await page.CheckAsync($"#entity-{entity}");
        }

        foreach (var area in new[] { "education", "environment", "culture-youth-media" })
        {
            await page.CheckAsync($"#area-{area}");
        }

        await page.FillAsync("#item0-number", "5.I");
        await page.FillAsync("#item0-title", "Draft programme and budget");
        await page.FillAsync("#item0-text", $"Belgium supports zero real growth. {Sneaky}");
        await page.FillAsync("#item1-title", "Ethics of neurotechnology");
        await page.FillAsync("#item1-text", "Belgium supports the recommendation.");
        await page.SelectOptionAsync("#item1-competence", "Federated");
    }

    [SkippableFact]
    public async Task StartForm_PreviewThenStartTwice_SaysWhatWillHappenAndStartsOneRound()
    {
        var page = await PageAsync();
        var title = $"Board {Guid.NewGuid():N} {Sneaky}";
        var response = await page.GotoAsync(Url("/api/console/rounds/new"));
        Assert.Equal(200, response!.Status);
        Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "the start form");
        Assert.True(await FitsTheWidthAsync(page), "The start form scrolls sideways on a laptop.");
        await ScreenshotAsync(page, "console-start.png");

        await FillCoormultiAsync(page, title);
        var previewed = await PostAsync(page, () => page.ClickAsync("#preview-button"));

        Assert.Equal(200, previewed.Status);
        var preview = await page.Locator("#preview").TextContentAsync();
        Assert.Contains("A linked SOIA round starts in which 3 Flemish policy areas agree Flanders' position; it is coordinated by multilateraal@vlaanderen.example", preview, StringComparison.Ordinal);
        Assert.Contains("multilateral@wallonie.example", preview, StringComparison.Ordinal);
        Assert.Contains("soia.education@vlaanderen.example", preview, StringComparison.Ordinal);
        Assert.Contains("whoever has not replied by then counts as agreeing", preview, StringComparison.Ordinal);
        Assert.Equal("preview-title", await FocusedIdAsync(page));
        Assert.Equal(title, await page.InputValueAsync("#title"));
        Assert.Empty(await CoormultiRoundsAsync());
        await AssertAccessibleAsync(page, "the preview");
        await ScreenshotAsync(page, "console-preview.png");

        // A double submit: the same form posted twice at once, then the Start button pressed as well.
        var finalUrls = await page.EvaluateAsync<string[]>("""
            async () => {
                const post = () => { const data = new FormData(document.querySelector('main form'));
                                     data.set('action', 'start');
                                     return fetch(location.pathname, { method: 'POST', body: new URLSearchParams(data) }); };
                const answers = await Promise.all([post(), post()]);
                return answers.map(a => new URL(a.url).pathname);
            }
            """);
        await PostAsync(page, () => page.ClickAsync("#start-button"));

        var rounds = await CoormultiRoundsAsync();
        var round = Assert.Single(rounds);
        var roundId = round["id"]!.GetValue<string>();
        Assert.Equal(title, round["title"]!.GetValue<string>());
        Assert.Equal([$"/api/console/rounds/{roundId}", $"/api/console/rounds/{roundId}"], finalUrls);
        Assert.Equal($"/api/console/rounds/{roundId}", new Uri(page.Url).AbsolutePath);
        var mail = await Host.MailFolder.WaitForAsync(roundId, 2);
        Assert.Equal(["federal", "wallonia"], mail.Select(m => m.ParticipantId).Order(StringComparer.Ordinal));
        Assert.Null(await page.EvaluateAsync<int?>("window.__xss"));
        var status = await Host.StatusAsync(roundId);
        Assert.True(status["silenceProcedure"]!.GetValue<bool>());
        Assert.Empty(pageErrors);
    }

    [SkippableFact]
    public async Task StartForm_Errors_SummaryTakesTheFocusAndLinksToEachFieldThatSaysWhatIsWrong()
    {
        var page = await PageAsync();
        await page.GotoAsync(Url("/api/console/rounds/new"));
        await page.FillAsync("#title", $"Half a round {Sneaky}");
        await page.CheckAsync("#procedure-SOIA");
        await page.CheckAsync("#entity-flanders");
        await page.FillAsync("#item1-title", "Only a title");

        var answer = await PostAsync(page, () => page.ClickAsync("#start-button"));

        Assert.Equal(400, answer.Status);
        Assert.Equal("error-summary", await FocusedIdAsync(page));
        var summary = await page.Locator("#error-summary").TextContentAsync();
        Assert.Contains("Organisation: Required.", summary, StringComparison.Ordinal);
        Assert.Contains("Flemish policy areas: 'flanders' is a Belgian entity", summary, StringComparison.Ordinal);
        Assert.Contains("Item 2, Draft position or question: Required", summary, StringComparison.Ordinal);
        Assert.Equal("true", await page.GetAttributeAsync("#organisation", "aria-invalid"));
        Assert.Equal("organisation-hint organisation-error", await page.GetAttributeAsync("#organisation", "aria-describedby"));
        Assert.Contains("Required.", await page.Locator("#organisation-error").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal($"Half a round {Sneaky}", await page.InputValueAsync("#title"));
        await AssertAccessibleAsync(page, "the form with errors");

        await page.ClickAsync("#error-summary a[href='#item1-text']");
        Assert.Equal("item1-text", await FocusedIdAsync(page));
        Assert.Null(await page.EvaluateAsync<int?>("window.__xss"));
    }

    [SkippableFact]
    public async Task StartForm_KeyboardOnly_TabSpaceAndEnterStartARound()
    {
        var page = await PageAsync();
        await page.GotoAsync(Url("/api/console/rounds/new"));
        var title = $"Keyboard {Guid.NewGuid():N}";

        await TabToAsync(page, "title");
        await page.Keyboard.TypeAsync(title);
        await TabToAsync(page, "organisation");
        await page.Keyboard.TypeAsync(organisation);
        await TabToAsync(page, "procedure-SOIA");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "deadline");
        // Headless Chromium orders the parts as its own locale does, whatever the page's: month, day, year, then a 24-hour
        // time. Month and day move on once typed; the year (up to six digits) with an arrow.
        var deadline = DateTime.ParseExact(DeadlineValue(9), "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await page.Keyboard.TypeAsync(deadline.ToString("MMddyyyy", CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.TypeAsync(deadline.ToString("HHmm", CultureInfo.InvariantCulture));
        Assert.Equal(DeadlineValue(9), await page.InputValueAsync("#deadline"));
        await TabToAsync(page, "area-education");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "area-environment");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "item0-title");
        await page.Keyboard.TypeAsync("Draft programme and budget");
        await TabToAsync(page, "item0-text");
        await page.Keyboard.TypeAsync("Flanders supports zero real growth.");

        // "Add an item" with Enter gets the form back with a fourth row, its title focused.
        await TabToAsync(page, "add-item-button");
        await PostAsync(page, () => page.Keyboard.PressAsync("Enter"));
        Assert.Equal("item3-title", await FocusedIdAsync(page));
        await page.Keyboard.TypeAsync("Neurotechnology");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("item3-text", await FocusedIdAsync(page));
        await page.Keyboard.TypeAsync("Support adoption.");

        await TabToAsync(page, "start-button");
        await PostAsync(page, () => page.Keyboard.PressAsync("Enter"));

        await page.WaitForURLAsync(RoundPage());
        var roundId = new Uri(page.Url).Segments[^1];
        var status = await Host.StatusAsync(roundId);
        Assert.Equal(title, status["title"]!.GetValue<string>());
        Assert.Equal(2, status["items"]!.AsArray().Count);
        Assert.Equal(["education", "environment"], (await Host.MailFolder.WaitForAsync(roundId, 2)).Select(m => m.ParticipantId).Order(StringComparer.Ordinal));
    }

    /// <summary>Presses Tab until the element with this id has the focus, as a person would (bounded).</summary>
    static async Task TabToAsync(IPage page, string id)
    {
        for (var presses = 0; presses < 150; presses++)
        {
            if (await FocusedIdAsync(page) == id)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached #{id}; the focus is on #{await FocusedIdAsync(page)}.");
    }

    [GeneratedRegex(@"/api/console/rounds/(?!new$)[^/]+$")]
    private static partial Regex RoundPage();

    [SkippableFact]
    public async Task RoundsList_Filters_InTheUrlAndOnlyTheMatchingRounds()
    {
        var budget = await Host.StartAsync(RoundRequests.Soia()
            .With("title", $"Budget committee {Sneaky}").With("organisation", organisation)
            .With("deadline", DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        var ethics = await Host.StartAsync(RoundRequests.Soia()
            .With("title", "Ethics of neurotechnology").With("organisation", organisation).With("kind", "ExpertMeeting")
            .With("coordinatorEmail", SignedInCoordinator)
            .With("deadline", DateTimeOffset.UtcNow.AddDays(40).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        var page = await PageAsync();

        await page.GotoAsync(Url($"/api/console/rounds?organisation={organisation}"));
        Assert.Equal([$"/api/console/rounds/{ethics}", $"/api/console/rounds/{budget}"], await RoundLinksAsync(page));
        Assert.Contains($"Budget committee {Sneaky}", await page.Locator("#rounds").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Collecting replies", await page.Locator("#rounds").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("SOIA (Flemish position)", await page.Locator("#rounds").TextContentAsync(), StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "the list of rounds");
        await ScreenshotAsync(page, "console-rounds.png");

        await page.FillAsync("#q", "NEUROTECH");
        await page.ClickAsync("button.primary");
        await page.WaitForURLAsync(new Regex("q=NEUROTECH"));
        Assert.Equal([$"/api/console/rounds/{ethics}"], await RoundLinksAsync(page));

        await page.GotoAsync(Url($"/api/console/rounds?organisation={organisation}&deadlineBefore={DateTimeOffset.UtcNow.AddDays(10):yyyy-MM-dd}"));
        Assert.Equal([$"/api/console/rounds/{budget}"], await RoundLinksAsync(page));
        Assert.Equal(DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await page.InputValueAsync("#deadlineBefore"));

        await page.GotoAsync(Url($"/api/console/rounds?organisation={organisation}&mine=true"));
        Assert.Equal([$"/api/console/rounds/{ethics}"], await RoundLinksAsync(page));
        Assert.True(await page.IsCheckedAsync("#mine"));

        await page.GotoAsync(Url($"/api/console/rounds?organisation={organisation}&procedure=COORMULTI&phase=Collecting"));
        Assert.Empty(await RoundLinksAsync(page));
        Assert.Contains("No rounds match these filters.", await page.Locator("#rounds").TextContentAsync(), StringComparison.Ordinal);

        var bad = await page.GotoAsync(Url("/api/console/rounds?deadlineFrom=15-12-2026"));
        Assert.Equal(400, bad!.Status);
        Assert.Equal("error-summary", await FocusedIdAsync(page));
        Assert.Null(await page.EvaluateAsync<int?>("window.__xss"));
        Assert.Empty(pageErrors);
    }

    [SkippableFact]
    public async Task Console_Languages_SwitchIsRememberedAndFitsATabletAnd200PercentZoom()
    {
        var page = await PageAsync(width: 768, height: 1024, locale: "fr-BE");
        await page.GotoAsync(Url("/api/console"));
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Consultations", await page.Locator("h1").TextContentAsync());
        Assert.True(await FitsTheWidthAsync(page), "The list scrolls sideways on a tablet.");

        // Waits on what the page shows (retried across the navigation), not on the navigation's load events.
        await page.ClickAsync("a[hreflang=nl]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("lang=nl"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Rondes");
        await page.ClickAsync("nav.menu a[href='/api/console/rounds/new']");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/rounds/new$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Een ronde starten");
        Assert.Equal("nl", await page.GetAttributeAsync("html", "lang"));
        Assert.True(await FitsTheWidthAsync(page), "The start form scrolls sideways on a tablet.");

        // 200% zoom on a 1280-pixel laptop screen is a 640-pixel wide layout.
        await page.SetViewportSizeAsync(640, 450);
        Assert.True(await FitsTheWidthAsync(page), "The start form scrolls sideways at 200% zoom.");
        await page.GotoAsync(Url("/api/console/rounds"));
        Assert.True(await FitsTheWidthAsync(page), "The list scrolls sideways at 200% zoom.");

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Naar de hoofdinhoud", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        Assert.Empty(pageErrors);
    }

    static async Task<IReadOnlyList<string>> RoundLinksAsync(IPage page) =>
        await page.Locator("#rounds tbody a").EvaluateAllAsync<string[]>("links => links.map(a => new URL(a.href).pathname)");

    public sealed class OnLocalHost(Browser browser) : ConsoleBrowserTests(HostKind.Local, browser);

    public sealed class OnFunctionsHost(Browser browser) : ConsoleBrowserTests(HostKind.Functions, browser);
}
