using System.Globalization;
using System.Text.Json.Nodes;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using MultilateralFlows.EndToEnd.Tests.Replies;
using MultilateralFlows.Testing;
using static Microsoft.Playwright.Assertions;

namespace MultilateralFlows.EndToEnd.Tests.Console;

/// <summary>
/// The console's page of one round, as a coordinator uses it in Chromium on a laptop: they watch the participants'
/// replies come in (the page refreshes them itself), move the deadline, send a reminder, settle the divergent item and
/// approve; once with the mouse, once with the keyboard alone. axe-core checks the page in each state it passes through.
/// </summary>
public abstract class RoundPageBrowserTests(HostKind kind, Browser browser) : HostTest(kind), IClassFixture<Browser>
{
    const string Sneaky = "<img src=x onerror=\"window.__xss=1\"> & <b>bold</b>";

    /// <summary>Where the tests write the screenshots the README shows, when asked to (<c>docs/screenshots</c> to refresh them).</summary>
    static readonly string? Screenshots = Environment.GetEnvironmentVariable("MULTILATERALFLOWS_SCREENSHOTS");

    static RoundPageBrowserTests() => SetDefaultExpectTimeout(90_000);

    /// <summary>
    /// A COORMULTI round of three entities, Flanders answering through one policy area asked directly; started through
    /// the JSON API. Returns the round and each participant's reply link.
    /// </summary>
    async Task<(string RoundId, IReadOnlyDictionary<string, string> Links)> StartRoundAsync()
    {
        var request = RoundRequests.Soia()
            .With("procedure", "COORMULTI")
            .With("title", $"OECD Council {Sneaky}")
            .With("organisation", "OECD")
            .With("participants", new JsonArray("federal", "french-community", "flanders"))
            .With("flemishPolicyAreas", new JsonArray("education"));
        var roundId = await Host.StartAsync(request);
        var requests = await Host.MailFolder.WaitForAsync(roundId, 3);
        return (roundId, requests.ToDictionary(m => m.ParticipantId, m => m.ReplyLink));
    }

    Task SignInAsync(IPage page) => DevelopmentSignIn.AsCoordinatorAsync(page, Host.BaseUrl);

    async Task<IPage> LaptopAsync()
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        return page;
    }

    string PageUrl(string roundId) => $"{Host.BaseUrl}/api/console/rounds/{roundId}";

    [SkippableFact]
    public async Task RoundPage_CoordinatorFollowsSettlesAndApproves_WithTheMouse()
    {
        var (roundId, links) = await StartRoundAsync();
        var page = await LaptopAsync();
        await SignInAsync(page);

        var response = await page.GotoAsync(PageUrl(roundId));
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"OECD Council {Sneaky}");
        await Expect(page.Locator("#round-phase")).ToHaveTextAsync("Collecting replies");
        await Expect(State(page, "federal")).ToHaveTextAsync("Asked, no reply yet");
        await CheckAccessibilityAsync(page, "collecting");

        // A reply arrives: the page shows it without being reloaded, and says so politely.
        await RoundApi.ReplyOkAsync(links["federal"], ("5.I", "Objection", "Too costly."), ("12", "Agree", null));
        await Expect(State(page, "federal")).ToHaveTextAsync("Replied");
        await Expect(page.Locator("#participants-news")).ToContainTextAsync("Replied");
        await Expect(page.Locator("#tally tr[data-item='5.I'] td[data-stance='Objection']")).ToHaveTextAsync("0");
        await page.ClickAsync("#participants-refresh");
        await Expect(page.Locator("#tally tr[data-item='5.I'] td[data-stance='Objection']")).ToHaveTextAsync("1");
        await ScreenshotAsync(page, "console-round.png");

        // Move the deadline: typed in Brussels time.
        var deadline = DateTimeOffset.UtcNow.AddDays(10);
        await page.FillAsync("#deadline-deadline", Brussels(deadline));
        await page.ClickAsync("#deadline-deadline ~ div button");
        await Expect(page.Locator("#done")).ToContainTextAsync("new deadline");
        await WaitForDeadlineAsync(roundId, deadline);

        // Remind the two who have not replied: their reminders reach the mail folder.
        await Expect(page.Locator("#reminders-silent")).ToContainTextAsync("2");
        await page.ClickAsync("#reminders-submit");
        await Expect(page.Locator("#done")).ToContainTextAsync("reminder");
        await Host.MailFolder.WaitForAsync(roundId, 2, "Reminder");

        // The others reply; the last reply closes the round and the draft is assembled: the page offers to reload.
        await RoundApi.ReplyOkAsync(links["french-community"], ("5.I", "Agree", null), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(links["education"], ("5.I", "AgreeWithRemarks", $"Keep SDG 4. {Sneaky}"), ("12", "Agree", null));
        await Expect(State(page, "french-community")).ToHaveTextAsync("Replied");
        await FollowUntilAsync(page, "#review-approve", keyboard: false);
        await Expect(page.Locator("#round-phase")).ToHaveTextAsync("In review");
        await Expect(page.Locator("#item-1 .awaits")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<int?>("window.__xss"));
        await CheckAccessibilityAsync(page, "review");
        await ScreenshotAsync(page, "console-round-review.png");

        // A compromise without its text: the page says what is missing, next to the field, and keeps the choice.
        await page.CheckAsync("#settle-1-how-Compromise");
        await page.ClickAsync("#settle-1-submit");
        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await Expect(page.Locator("#settle-1-text-error")).ToContainTextAsync("compromise text");
        Assert.Equal("settle-1-text-error", await page.GetAttributeAsync("#settle-1-text", "aria-describedby"));
        Assert.True(await page.IsCheckedAsync("#settle-1-how-Compromise"));
        await CheckAccessibilityAsync(page, "error");

        await page.FillAsync("#settle-1-text", "Belgium supports the budget if SDG 4 keeps its allocation.");
        await page.ClickAsync("#settle-1-submit");
        await Expect(page.Locator("#done")).ToContainTextAsync("5.I");
        await FollowUntilAsync(page, "#item-1 .settled", keyboard: false);
        await Expect(page.Locator("#item-1 .settled")).ToContainTextAsync("Compromise");
        await Expect(page.Locator("#item-1 .changes")).ToContainTextAsync("Settlement: not settled → Compromise");

        await page.ClickAsync("#review-approve");
        await Expect(page.Locator("#done")).ToContainTextAsync("approval");
        await FollowUntilAsync(page, "#round-phase:text-is('Approved')", keyboard: false);
        await Expect(page.Locator("#draft-heading")).ToHaveTextAsync("Final position");
        await Expect(page.Locator("#audit")).ToContainTextAsync($"coordinator {DevelopmentSignIn.Coordinator}");
        await CheckAccessibilityAsync(page, "approved");
        Assert.Equal("Final", (await Host.StatusAsync(roundId))["phase"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task RoundPage_TheSameFlow_WithTheKeyboardOnly()
    {
        var (roundId, links) = await StartRoundAsync();
        var page = await LaptopAsync();
        await SignInAsync(page);
        await page.GotoAsync(PageUrl(roundId));

        await RoundApi.ReplyOkAsync(links["federal"], ("5.I", "Objection", "Too costly."), ("12", "Agree", null));
        await Expect(State(page, "federal")).ToHaveTextAsync("Replied");

        // The deadline: Tab to the field, replace what it holds by typing, Enter submits the form.
        var deadline = DateTimeOffset.UtcNow.AddDays(12);
        await TabToAsync(page, "#deadline-deadline");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(Brussels(deadline));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#done")).ToContainTextAsync("new deadline");
        await WaitForDeadlineAsync(roundId, deadline);

        // The reminder: Space on its button.
        await TabToAsync(page, "#reminders-submit");
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("#done")).ToContainTextAsync("reminder");
        await Host.MailFolder.WaitForAsync(roundId, 2, "Reminder");

        await RoundApi.ReplyOkAsync(links["french-community"], ("5.I", "Agree", null), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(links["education"], ("5.I", "AgreeWithRemarks", "Keep SDG 4."), ("12", "Agree", null));
        await FollowUntilAsync(page, "#review-approve", keyboard: true);
        await Expect(page.Locator("#round-phase")).ToHaveTextAsync("In review");

        // Settle: into the choices, the arrow to the compromise, Tab to the text, type it; Shift+Tab back to check the choice.
        await TabToAsync(page, "#settle-1-how-Consensus");
        await page.Keyboard.PressAsync("ArrowDown");
        Assert.True(await page.IsCheckedAsync("#settle-1-how-Compromise"));
        await TabToAsync(page, "#settle-1-text");
        await page.Keyboard.TypeAsync("Belgium supports the budget if SDG 4 keeps its allocation.");
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("settle-1-how-Compromise", await FocusedIdAsync(page));
        await TabToAsync(page, "#settle-1-submit");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#done")).ToContainTextAsync("5.I");
        await FollowUntilAsync(page, "#item-1 .settled", keyboard: true);
        await Expect(page.Locator("#item-1 .settled")).ToContainTextAsync("Compromise");

        await TabToAsync(page, "#review-approve");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#done")).ToContainTextAsync("approval");
        await FollowUntilAsync(page, "#round-phase:text-is('Approved')", keyboard: true);
    }

    static ILocator State(IPage page, string participant) => page.Locator($"#participants-table tr[data-participant='{participant}'] .state");

    /// <summary>
    /// Waits until the page shows what <paramref name="selector"/> finds, or offers to reload because the round moved on
    /// (the page's script saw a new phase or draft), and then follows that link, by click or with the keyboard.
    /// </summary>
    static async Task FollowUntilAsync(IPage page, string selector, bool keyboard)
    {
        var shown = page.Locator(selector);
        var reload = page.Locator("#participants-reload a");
        // Only what is visible: the reload link is always in the page, hidden until the script offers it, and comes
        // before the draft; "the first of either" would wait on the hidden link while the page already shows the draft.
        await Expect(shown.Or(reload).Filter(new LocatorFilterOptions { Visible = true }).First).ToBeVisibleAsync();
        if (await shown.First.IsVisibleAsync())
        {
            return;
        }

        if (keyboard)
        {
            await TabToAsync(page, "#participants-reload a");
            await page.Keyboard.PressAsync("Enter");
        }
        else
        {
            await reload.ClickAsync();
        }

        await Expect(shown.First).ToBeVisibleAsync();
    }

    /// <summary>Presses Tab until the element is focused, as a person moves through the page; fails if it never is.</summary>
    static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 250; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement !== null && document.activeElement.matches(s)", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector}.");
    }

    static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement.id");

    async Task WaitForDeadlineAsync(string roundId, DateTimeOffset expected)
    {
        var minute = new DateTimeOffset(expected.Year, expected.Month, expected.Day, expected.Hour, expected.Minute, 0, TimeSpan.Zero);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTimeOffset.Parse((await Host.StatusAsync(roundId))["deadline"]!.GetValue<string>(), CultureInfo.InvariantCulture) != minute)
        {
            Assert.True(DateTime.UtcNow < until, $"Round {roundId} did not take the new deadline {minute:O}.");
            await Task.Delay(250);
        }
    }

    static string Brussels(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels")).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>axe-core run in the page: no serious or critical violation of the rules it checks (WCAG 2.1 A and AA among them).</summary>
    static async Task CheckAccessibilityAsync(IPage page, string state)
    {
        AxeResult result = await page.RunAxe();
        var grave = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(grave.Count == 0, $"The round page ({state}) has accessibility violations: " + string.Join("; ", grave.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    async Task ScreenshotAsync(IPage page, string name)
    {
        // One host's pictures are enough; CI does not write into the clone.
        if (Screenshots is { Length: > 0 } folder && Kind == HostKind.Local)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
        }
    }

    public sealed class OnLocalHost(Browser browser) : RoundPageBrowserTests(HostKind.Local, browser);

    public sealed class OnFunctionsHost(Browser browser) : RoundPageBrowserTests(HostKind.Functions, browser);
}
