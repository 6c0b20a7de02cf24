using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using MultilateralFlows.Http;

namespace MultilateralFlows.Functions.Http;

/// <summary>
/// What no other route takes under <c>/api</c>: problem details (404, or 405 with <c>Allow</c>) with the app's headers,
/// as the local host answers, instead of the Functions host's bare 404. The host tries its most specific routes first,
/// so this catch-all only sees what they do not take.
/// </summary>
public static class UnmatchedRouteFunction
{
    [Function(ApiRoutes.UnmatchedName)]
    public static IResult UnmatchedRoute(
        [HttpTrigger(
            AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", "trace", Route = ApiRoutes.UnmatchedTemplate)]
        HttpRequest request,
        string? path) =>
        ApiRoutes.Unmatched(request, path);
}
