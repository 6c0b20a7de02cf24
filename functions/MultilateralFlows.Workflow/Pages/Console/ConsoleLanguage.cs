using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using MultilateralFlows.Localization;

namespace MultilateralFlows.Pages.Console;

/// <summary>
/// The language of a console page: the one asked for with <c>?lang=</c> (and remembered in a cookie for the next pages),
/// else the one remembered, else the browser's first choice among nl, fr and en, else English.
/// </summary>
public static class ConsoleLanguage
{
    public const string QueryName = "lang";
    public const string CookieName = "console-lang";

    public static ConsoleTexts Choose(HttpRequest request)
    {
        if (ConsoleTexts.Find(request.Query[QueryName].ToString()) is { } asked)
        {
            request.HttpContext.Response.Cookies.Append(CookieName, asked.Language, new CookieOptions
            {
                Path = "/api/console",
                HttpOnly = true,
                SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
                Secure = request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
            });
            return asked;
        }

        if (ConsoleTexts.Find(request.Cookies[CookieName]) is { } remembered)
        {
            return remembered;
        }

        return FromAcceptLanguage(request.Headers.AcceptLanguage.ToString());
    }

    /// <summary>The first language the browser prefers (by quality, then order) that the console speaks; English otherwise.</summary>
    public static ConsoleTexts FromAcceptLanguage(string header)
    {
        if (!StringWithQualityHeaderValue.TryParseList(header.Split(','), out var values))
        {
            return ConsoleTexts.For(null);
        }

        var preferred = values
            .Select((value, order) => (Language: value.Value.Value?.Split('-')[0].ToLowerInvariant(), Quality: value.Quality ?? 1, order))
            .Where(v => v.Quality > 0)
            .OrderByDescending(v => v.Quality)
            .ThenBy(v => v.order)
            .Select(v => ConsoleTexts.Find(v.Language))
            .FirstOrDefault(texts => texts is not null);
        return preferred ?? ConsoleTexts.For(null);
    }
}
