using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MultilateralFlows.Http;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// The local host's stand-in for function keys: coordinator routes answer callers on this machine, and callers
/// elsewhere only with the configured key (<c>x-functions-key</c> header or <c>code</c> query, as in Azure).
/// </summary>
public sealed class CoordinatorAccessFilter(IOptions<LocalHostOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (IsLoopback(http.Connection.RemoteIpAddress) || HasKey(http.Request, options.Value.CoordinatorKey))
        {
            return await next(context);
        }

        return Problems.Unauthorized("Coordinator routes need the coordinator key (x-functions-key header) when called from another machine.");
    }

    static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    static bool HasKey(HttpRequest request, string? expected)
    {
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }

        string? presented = request.Headers["x-functions-key"];
        presented ??= request.Query["code"];
        return presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }
}
