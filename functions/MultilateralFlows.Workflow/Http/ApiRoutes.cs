using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>One route of the HTTP API: the name both hosts give it, its method, and its template under <c>/api</c>.</summary>
public sealed record ApiRoute(string Name, string Method, string Template);

/// <summary>
/// Every route of the HTTP API. Both hosts declare theirs (the Functions app with attributes, the local host with
/// minimal APIs) and a test holds each host to this table; the answer to a path no route takes
/// (<see cref="Unmatched"/>) is decided from it, the same on both hosts. Each route is described in the OpenAPI
/// document (<c>Http/OpenApi/openapi.json</c>, an operation whose <c>operationId</c> is the route's name); a test fails
/// for a route without one.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The catch-all both hosts map under <c>/api</c>, with every method, for what no other route takes.</summary>
    public const string UnmatchedName = "UnmatchedRoute";
    public const string UnmatchedTemplate = "{*path}";

    public static readonly string[] AnyMethod = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"];

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("StartRound", "POST", "rounds"),
        new("ListRounds", "GET", "rounds"),
        new("GetRound", "GET", "rounds/{id}"),
        new("GetPosition", "GET", "rounds/{id}/position"),
        new("GetAudit", "GET", "rounds/{id}/audit"),
        new("MoveDeadline", "POST", "rounds/{id}/deadline"),
        new("RemindParticipants", "POST", "rounds/{id}/reminders"),
        new("ReviewPosition", "POST", "rounds/{id}/review"),
        new("RequestCancellation", "POST", "rounds/{id}/cancel"),
        new("DecideLateContribution", "POST", "rounds/{id}/late-contributions/{participant}"),
        new("SettleItem", "POST", "rounds/{id}/items/{itemId}/settlement"),
        new("ConsoleRoundPage", "GET", "console/rounds/{id}"),
        new("ConsoleRoundParticipants", "GET", "console/rounds/{id}/participants"),
        new("ConsoleRoundPageScript", "GET", "console/scripts/round-page.js"),
        new("ConsoleMoveDeadline", "POST", "console/rounds/{id}/deadline"),
        new("ConsoleRemindParticipants", "POST", "console/rounds/{id}/reminders"),
        new("ConsoleReviewPosition", "POST", "console/rounds/{id}/review"),
        new("ConsoleCancelRound", "POST", "console/rounds/{id}/cancel"),
        new("ConsoleSettleItem", "POST", "console/rounds/{id}/items/{itemId}/settlement"),
        new("ShowReplyForm", "GET", "reply/{token}"),
        new("SubmitReply", "POST", "reply/{token}"),
        new("ReceiveEmailEvents", "POST", "email/events"),
        new("Health", "GET", "health"),
        new("OpenApiDocument", "GET", "openapi.json"),
        new("ConsoleShowSignIn", "GET", "console/sign-in"),
        new("ConsoleSignIn", "POST", "console/sign-in"),
        new("ConsoleSignOut", "POST", "console/sign-out"),
        new("ConsoleHome", "GET", "console"),
        new("ConsoleRounds", "GET", "console/rounds"),
        new("ConsoleNewRound", "GET", "console/rounds/new"),
        new("ConsoleStartRound", "POST", "console/rounds/new"),
        new("ConsoleScript", "GET", "console/console.js"),
    ];

    /// <summary>
    /// The coordinator's routes (<c>/api/rounds…</c>): function keys in Azure, the loopback-or-key filter locally, and
    /// where App Service Authentication is on, a signed-in Coordinator (<see cref="CoordinatorSignIn.ForApi"/>).
    /// </summary>
    public static bool IsCoordinatorRoute(ApiRoute route) =>
        route.Template == "rounds" || route.Template.StartsWith("rounds/", StringComparison.Ordinal);

    /// <summary>
    /// A request no route took: 405 with <c>Allow</c> where the path is a route of another method, else 404; both as
    /// problem details.
    /// </summary>
    public static IResult Unmatched(HttpRequest request, string? path)
    {
        var allowed = MethodsFor(path ?? "");
        if (allowed.Count == 0)
        {
            return Problems.NotFound($"There is no route /api/{path} in this API.");
        }

        request.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
        return Results.Problem(
            detail: $"/api/{path} takes {string.Join(" or ", allowed)}, not {request.Method}.",
            statusCode: StatusCodes.Status405MethodNotAllowed,
            title: "Method not allowed");
    }

    /// <summary>The methods of the routes whose template matches the path (a <c>{name}</c> segment matches any one segment).</summary>
    public static IReadOnlyList<string> MethodsFor(string path)
    {
        var segments = path.Trim('/').Split('/');
        return All.Where(route => Matches(route.Template.Split('/'), segments)).Select(route => route.Method).Distinct().ToList();
    }

    static bool Matches(string[] template, string[] segments) =>
        template.Length == segments.Length &&
        template.Zip(segments).All(pair => pair.First.StartsWith('{')
            ? pair.Second.Length > 0
            : string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase));
}
