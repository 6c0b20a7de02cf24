using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Replies;

/// <summary>The reply page as a desk officer uses it: in a real browser, on a phone-sized screen, with and without JavaScript.</summary>
public abstract class ReplyPageBrowserTests(HostKind kind, Browser browser) : HostTest(kind), IClassFixture<Browser>
{
    const string Sneaky = "<img src=x onerror=\"window.__xss=1\"> & <b>bold</b>";

    async Task<(string RoundId, string Link)> StartRoundAsync()
    {
        var request = RoundRequests.Soia("education", "environment")
            .With("title", $"UNESCO Board {Sneaky}")
            .With("items", new JsonArray(
                RoundRequests.Item("5.I", "Programme and budget", $"Flanders supports zero real growth.\nSecond paragraph {Sneaky}"),
                RoundRequests.Item("12", "Neurotechnology", "Support adoption.")));
        var roundId = await Host.StartAsync(request);
        var link = (await Host.MailFolder.WaitForAsync(roundId, 2)).Single(m => m.ParticipantId == "education").ReplyLink;
        return (roundId, link);
    }

    [SkippableFact]
    public async Task ReplyPage_OnAPhone_ShowsTheDossierFitsTheScreenAndRecordsAReply()
    {
        var (roundId, link) = await StartRoundAsync();
        var page = await browser.PhoneAsync();

        var response = await page.GotoAsync(link);
        Assert.Equal(200, response!.Status);
        Assert.Equal("no-referrer", await response.HeaderValueAsync("referrer-policy"));
        Assert.Contains("UNESCO Board", await page.Locator("h1").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains($"Second paragraph {Sneaky}", await page.Locator("#item-5\\.I .draft").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways on a phone.");

        // Nothing chosen: the browser itself asks for a stance and nothing is sent.
        await page.ClickAsync("button[type=submit]");
        Assert.Equal(link, page.Url);
        Assert.Equal("Requested", await StateAsync(roundId, "education"));

        // An objection without remarks: the server says what is missing and keeps what was chosen.
        await page.Locator("input[name='stance.5.I'][value='Objection']").CheckAsync();
        await page.Locator("input[name='stance.12'][value='Agree']").CheckAsync();
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("Licht het bezwaar toe", await page.Locator(".errors").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("input[name='stance.5.I'][value='Objection']").IsCheckedAsync());

        await page.FillAsync("textarea[name='remarks.5.I']", $"Too costly. {Sneaky}");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("uw antwoord is geregistreerd", await page.Locator("h1").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains($"Too costly. {Sneaky}", await page.Locator("table").TextContentAsync(), StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<int?>("window.__xss"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The confirmation scrolls sideways on a phone.");
        Assert.Equal("Replied", await StateAsync(roundId, "education"));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "multilateralflows-reply-confirmation.png"), FullPage = true });
    }

    [SkippableFact]
    public async Task ReplyPage_WithoutJavaScript_AmendingShowsTheEarlierAnswerAndKeepsBothVersions()
    {
        var (roundId, link) = await StartRoundAsync();
        var page = await browser.PhoneAsync(javaScript: false);

        await page.GotoAsync(link);
        await page.Locator("input[name='stance.5.I'][value='AgreeWithRemarks']").CheckAsync();
        await page.FillAsync("textarea[name='remarks.5.I']", "Keep SDG 4 whole.");
        await page.Locator("input[name='stance.12'][value='NotCompetent']").CheckAsync();
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("versie 1", await page.Locator(".ok").TextContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync(link);
        Assert.Contains("versie 1", await page.Locator(".note").Last.TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("input[name='stance.5.I'][value='AgreeWithRemarks']").IsCheckedAsync());
        Assert.Equal("Keep SDG 4 whole.", await page.InputValueAsync("textarea[name='remarks.5.I']"));
        Assert.True(await page.Locator("input[name='stance.12'][value='NotCompetent']").IsCheckedAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "multilateralflows-reply-form.png"), FullPage = true });

        await page.Locator("input[name='stance.12'][value='Agree']").CheckAsync();
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("versie 2", await page.Locator(".ok").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("Amended", await StateAsync(roundId, "education"));
    }

    [SkippableFact]
    public async Task ReplyPage_TamperedLink_SaysTheLinkIsNotValid()
    {
        var (_, link) = await StartRoundAsync();
        var page = await browser.PhoneAsync();

        var response = await page.GotoAsync(link[..^2] + (link[^2] == 'A' ? "BB" : "AA"));

        Assert.Equal(404, response!.Status);
        Assert.Contains("not valid", await page.Locator("h1").TextContentAsync(), StringComparison.Ordinal);
    }

    async Task<string> StateAsync(string roundId, string participant) =>
        (await Host.StatusAsync(roundId))["participants"]!.AsArray().Single(p => p!["code"]!.GetValue<string>() == participant)!["state"]!.GetValue<string>();

    [SkippableFact]
    public async Task ReplyPage_FrenchAndGermanSpeakingEntities_ReadTheRequestAndTheFormInTheirLanguage()
    {
        var request = RoundRequests.Soia()
            .With("procedure", "COORMULTI")
            .With("participants", new JsonArray("french-community", "german-community"));
        var roundId = await Host.StartAsync(request);
        var requests = await Host.MailFolder.WaitForAsync(roundId, 2);
        var page = await browser.PhoneAsync(javaScript: false);

        // Their words come from the fr and de satellite assemblies, which must be in the host's build output.
        var french = requests.Single(m => m.ParticipantId == "french-community");
        var german = requests.Single(m => m.ParticipantId == "german-community");
        Assert.StartsWith("[COORMULTI] Consultation : ", french.Subject, StringComparison.Ordinal);
        Assert.EndsWith("(heure de Bruxelles)", french.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Madame, Monsieur,", french.PlainText, StringComparison.Ordinal);
        Assert.StartsWith("[COORMULTI] Konsultation: ", german.Subject, StringComparison.Ordinal);
        Assert.EndsWith("Uhr (Brüsseler Zeit)", german.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Sehr geehrte Damen und Herren,", german.PlainText, StringComparison.Ordinal);

        await page.GotoAsync(french.ReplyLink);
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("D'accord avec remarques", await page.Locator("form").TextContentAsync(), StringComparison.Ordinal);
        await page.Locator("input[name='stance.5.I'][value='Objection']").CheckAsync();
        await page.Locator("input[name='stance.12'][value='Agree']").CheckAsync();
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("Expliquez l'objection", await page.Locator(".errors").TextContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync(german.ReplyLink);
        Assert.Equal("de", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("Nicht zuständig", await page.Locator("form").TextContentAsync(), StringComparison.Ordinal);
    }

    public sealed class OnLocalHost(Browser browser) : ReplyPageBrowserTests(HostKind.Local, browser);

    public sealed class OnFunctionsHost(Browser browser) : ReplyPageBrowserTests(HostKind.Functions, browser);
}
