using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using MultilateralFlows.Http;

namespace MultilateralFlows.Functions.Http;

/// <summary>Every HTTP answer of the app carries <see cref="SecurityHeaders"/>, as on the local host.</summary>
public sealed class SecurityHeadersMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        // Orchestrators and activities have no HTTP context.
        if (context.GetHttpContext() is { } http)
        {
            SecurityHeaders.OnEveryResponse(http);
        }

        return next(context);
    }
}
