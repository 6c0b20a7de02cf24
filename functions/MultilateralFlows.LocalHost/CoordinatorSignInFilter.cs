using MultilateralFlows.Http;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// Before any coordinator route runs, who calls is decided (<see cref="CoordinatorSignIn.ForApi"/>): here that refuses
/// a forged client principal (nothing strips <c>X-MS-CLIENT-PRINCIPAL*</c> headers on this host). The Functions app's
/// <c>CoordinatorSignInMiddleware</c> does the same.
/// </summary>
public sealed class CoordinatorSignInFilter(CoordinatorSignIn signIn) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var (_, refusal) = signIn.ForApi(context.HttpContext.Request);
        return refusal ?? await next(context);
    }
}
