using System.Text;
using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>
/// A server-rendered page with the headers every page of a reply link carries: no referrer (the link is a secret),
/// no caching, no sniffing, and a content policy that allows nothing but its own inline style and form posts to itself;
/// with <paramref name="allowScripts"/>, also scripts from this origin and their requests to it (the console's).
/// </summary>
public sealed class HtmlPage(int statusCode, string html, bool allowScripts = false) : IResult
{
    public int StatusCode { get; } = statusCode;

    public string Html { get; } = html;

    public bool AllowScripts { get; } = allowScripts;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        if (AllowScripts)
        {
            // Read again when the response starts (SecurityHeaders.OnEveryResponse), which would otherwise put the
            // policy without scripts back.
            httpContext.Items[SecurityHeaders.ScriptsFromSelf] = true;
        }

        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(response);
        await response.WriteAsync(Html, Encoding.UTF8, httpContext.RequestAborted);
    }
}

/// <summary>
/// Headers for every response: what a reply link leads to must not leak through the referrer or a cache, and no answer
/// (JSON, a problem, the HTML position) may be sniffed into something else or framed.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Sets the headers on whatever the request is answered with, as the response starts: an error handler that clears
    /// the response before writing its problem still sends them. A page that runs its own script says so in the request's
    /// items (<see cref="ScriptsFromSelf"/>), which a cleared response keeps.
    /// </summary>
    public static void OnEveryResponse(HttpContext context) =>
        context.Response.OnStarting(static state =>
        {
            Apply((HttpResponse)state);
            return Task.CompletedTask;
        }, context.Response);

    /// <summary>
    /// Lets this one answer be kept by any cache for <paramref name="maxAge"/> instead of <c>no-store</c>: only for what is
    /// public and the same for every caller (the OpenAPI document), never for a round, a reply or a page.
    /// </summary>
    public static void AllowPublicCaching(HttpResponse response, TimeSpan maxAge) =>
        response.HttpContext.Items[PublicCacheControl] = $"public, max-age={(int)maxAge.TotalSeconds}";

    const string PublicCacheControl = "MultilateralFlows.PublicCacheControl";

    /// <summary>The <see cref="HttpContext.Items"/> key of a page whose policy allows scripts from its own origin.</summary>
    public static readonly object ScriptsFromSelf = new();

    /// <summary>Nothing but the page's own inline style, and form posts to itself.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>A console page that refreshes part of itself: scripts served by this origin (never inline) and requests back to it.</summary>
    public const string ContentSecurityPolicyWithScripts =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (response.HttpContext.Items.TryGetValue(PublicCacheControl, out var cacheControl) && cacheControl is string cacheable)
        {
            response.Headers.CacheControl = cacheable;
        }
        else
        {
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
        }

        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = response.HttpContext.Items.ContainsKey(ScriptsFromSelf)
            ? ContentSecurityPolicyWithScripts
            : ContentSecurityPolicy;
    }
}
