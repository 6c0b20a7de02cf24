using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using MultilateralFlows.Http;

namespace MultilateralFlows.Functions.Http;

/// <summary>
/// Before any coordinator route runs, who calls is decided (<see cref="CoordinatorSignIn.ForApi"/>): a forged client
/// principal is refused, and where App Service Authentication is on, so is a caller who is not a signed-in Coordinator.
/// The local host's <c>CoordinatorSignInFilter</c> does the same; the handlers then read the decision for the audit.
/// </summary>
public sealed class CoordinatorSignInMiddleware(CoordinatorSignIn signIn) : IFunctionsWorkerMiddleware
{
    static readonly HashSet<string> CoordinatorFunctions =
        ApiRoutes.All.Where(ApiRoutes.IsCoordinatorRoute).Select(route => route.Name).ToHashSet(StringComparer.Ordinal);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (CoordinatorFunctions.Contains(context.FunctionDefinition.Name) && context.GetHttpContext() is { } http)
        {
            var (_, refusal) = signIn.ForApi(http.Request);
            if (refusal is not null)
            {
                await refusal.ExecuteAsync(http);
                return;
            }
        }

        await next(context);
    }
}
