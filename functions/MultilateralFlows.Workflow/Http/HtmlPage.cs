using System.Text;
using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>
/// A server-rendered page with the headers every page of a reply link carries: no referrer (the link is a secret),
/// no caching, no sniffing, and a content policy that allows nothing but its own inline style and form posts to itself
/// (or the stricter-than-nothing <paramref name="contentSecurityPolicy"/> a page asks for, such as a console page's script).
/// </summary>
public sealed class HtmlPage(int statusCode, string html, string? contentSecurityPolicy = null) : IResult
{
    public int StatusCode { get; } = statusCode;

    public string Html { get; } = html;

    public string ContentSecurityPolicy { get; } = contentSecurityPolicy ?? SecurityHeaders.DefaultPolicy;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(response, ContentSecurityPolicy);
        await response.WriteAsync(Html, Encoding.UTF8, httpContext.RequestAborted);
    }
}

/// <summary>
/// Headers for every response: what a reply link leads to must not leak through the referrer or a cache, and no answer
/// (JSON, a problem, the HTML position) may be sniffed into something else or framed.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Nothing but the page's own inline style, and form posts to itself.</summary>
    public const string DefaultPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// A console page that refreshes part of itself: as <see cref="DefaultPolicy"/>, plus scripts served by this origin
    /// (never inline) and requests back to it.
    /// </summary>
    public const string SameOriginScriptPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// Sets the headers on whatever the request is answered with, as the response starts: an error handler that clears
    /// the response before writing its problem still sends them. A content policy the answer set itself (a page that
    /// runs its own script) is kept; a cleared response gets the default.
    /// </summary>
    public static void OnEveryResponse(HttpContext context) =>
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var own = response.Headers.ContentSecurityPolicy.ToString();
            Apply(response, own.Length > 0 ? own : DefaultPolicy);
            return Task.CompletedTask;
        }, context.Response);

    public static void Apply(HttpResponse response, string contentSecurityPolicy = DefaultPolicy)
    {
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
    }
}
