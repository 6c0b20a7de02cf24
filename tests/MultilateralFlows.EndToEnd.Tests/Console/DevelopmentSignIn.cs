using Microsoft.Playwright;

namespace MultilateralFlows.EndToEnd.Tests.Console;

/// <summary>
/// Signs a browser in to the console as a person would locally: through the development sign-in's form, which the hosts
/// under test have on. The console's pages then know who acts, and the audit names them.
/// </summary>
static class DevelopmentSignIn
{
    /// <summary>Who the console's browser tests sign in as; "mine" lists the rounds this address coordinates.</summary>
    public const string Coordinator = "an.devos@vlaanderen.be";

    public static async Task OpenFormAsync(IPage page, string baseUrl) => await page.GotoAsync($"{baseUrl}/api/console/sign-in");

    /// <summary>Fills in and sends the form opened with <see cref="OpenFormAsync"/>; back on the console's list when signed in.</summary>
    public static async Task SubmitAsync(IPage page)
    {
        await page.FillAsync("#email", Coordinator);
        await page.FillAsync("#name", "An Devos");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/api/console/rounds"));
    }

    public static async Task AsCoordinatorAsync(IPage page, string baseUrl)
    {
        await OpenFormAsync(page, baseUrl);
        await SubmitAsync(page);
    }
}
