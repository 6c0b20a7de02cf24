using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>
/// 303 See Other: after a form post, the browser GETs <paramref name="location"/>, so a reload does not post again.
/// ASP.NET Core's redirect results answer 301, 302, 307 or 308 only.
/// </summary>
public sealed class SeeOther(string location) : IResult
{
    public string Location => location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
