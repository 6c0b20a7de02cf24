using Microsoft.AspNetCore.Http;
using MultilateralFlows.Pages.Console;

namespace MultilateralFlows.Tests.Console;

public sealed class ConsoleLanguageTests
{
    [Theory]
    [InlineData("fr-BE,fr;q=0.9,en;q=0.8", "fr")]
    [InlineData("de-DE, nl;q=0.5, en;q=0.4", "nl")]
    [InlineData("en;q=0.2, nl-BE;q=0.9", "nl")]
    [InlineData("de", "en")]
    [InlineData("", "en")]
    [InlineData("nl;q=0", "en")]
    public void FromAcceptLanguage_BrowserPreferences_FirstOneTheConsoleSpeaks(string header, string expected) =>
        Assert.Equal(expected, ConsoleLanguage.FromAcceptLanguage(header).Language);

    [Fact]
    public void Choose_AskedInTheQuery_WinsAndIsRemembered()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?lang=fr");
        context.Request.Headers.AcceptLanguage = "nl";
        context.Request.Headers.Cookie = "console-lang=en";

        Assert.Equal("fr", ConsoleLanguage.Choose(context.Request).Language);
        Assert.Contains("console-lang=fr", context.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_RememberedThenBrowser_InThatOrder()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = "nl";
        context.Request.QueryString = new QueryString("?lang=de");
        Assert.Equal("nl", ConsoleLanguage.Choose(context.Request).Language);

        context.Request.Headers.Cookie = "console-lang=fr";
        Assert.Equal("fr", ConsoleLanguage.Choose(context.Request).Language);
        Assert.Empty(context.Response.Headers.SetCookie.ToString());
    }
}
