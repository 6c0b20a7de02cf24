using System.Text;
using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>
/// A server-rendered page with the headers every page of a reply link carries: no referrer (the link is a secret),
/// no caching, no sniffing, and a content policy that allows nothing but its own inline style and form posts to itself.
/// </summary>
public sealed class HtmlPage(int statusCode, string html) : IResult
{
    public int StatusCode { get; } = statusCode;

    public string Html { get; } = html;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        SecurityHeaders.Apply(response);
        await response.WriteAsync(Html, Encoding.UTF8, httpContext.RequestAborted);
    }
}

/// <summary>Headers for every response that a reply link leads to.</summary>
public static class SecurityHeaders
{
    public static void Apply(HttpResponse response)
    {
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }
}
