using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Email;
using MultilateralFlows.Http;
using MultilateralFlows.Http.OpenApi;
using MultilateralFlows.Pages.Console;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// The HTTP routes of the local host: the same paths, methods and handlers as the Functions app, under the same names
/// (a test compares them with the app's functions).
/// </summary>
public static class LocalRoutes
{
    public static void MapWorkflowRoutes(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        // What the Functions app protects with function keys.
        var coordinator = api.MapGroup("").AddEndpointFilter<CoordinatorAccessFilter>().AddEndpointFilter<CoordinatorSignInFilter>();
        coordinator.MapPost("/rounds", (HttpRequest request, DurableTaskClient client, RoundsApi rounds, CancellationToken ct) =>
            rounds.StartRoundAsync(request, client, ct)).WithName("StartRound");
        coordinator.MapGet("/rounds", (HttpRequest request, RoundsApi rounds, CancellationToken ct) =>
            rounds.ListRoundsAsync(request.Query, ct)).WithName("ListRounds");
        coordinator.MapGet("/rounds/{id}", (string id, RoundsApi rounds, CancellationToken ct) =>
            rounds.GetRoundAsync(id, ct)).WithName("GetRound");
        coordinator.MapGet("/rounds/{id}/position", (string id, HttpRequest request, RoundsApi rounds, CancellationToken ct) =>
            rounds.GetPositionAsync(id, request.Query["format"], request.Query["version"], request.Query["lang"], ct)).WithName("GetPosition");
        coordinator.MapGet("/rounds/{id}/audit", (string id, RoundsApi rounds, CancellationToken ct) =>
            rounds.GetAuditAsync(id, ct)).WithName("GetAudit");
        coordinator.MapPost(
            "/rounds/{id}/deadline",
            (string id, HttpRequest request, DurableTaskClient client, RoundActionsApi actions, CancellationToken ct) =>
                actions.MoveDeadlineAsync(id, request, client, ct)).WithName("MoveDeadline");
        coordinator.MapPost(
            "/rounds/{id}/reminders",
            (string id, HttpRequest request, DurableTaskClient client, RoundActionsApi actions, CancellationToken ct) =>
                actions.RemindAsync(id, request, client, ct)).WithName("RemindParticipants");
        coordinator.MapPost(
            "/rounds/{id}/review",
            (string id, HttpRequest request, DurableTaskClient client, RoundActionsApi actions, CancellationToken ct) =>
                actions.ReviewAsync(id, request, client, ct)).WithName("ReviewPosition");
        coordinator.MapPost(
            "/rounds/{id}/cancel",
            (string id, HttpRequest request, DurableTaskClient client, RoundActionsApi actions, CancellationToken ct) =>
                actions.CancelAsync(id, request, client, ct)).WithName("RequestCancellation");
        coordinator.MapPost(
            "/rounds/{id}/late-contributions/{participant}",
            (string id, string participant, HttpRequest request, DurableTaskClient client, LateContributionsApi late, CancellationToken ct) =>
                late.DecideAsync(id, participant, request, client, ct)).WithName("DecideLateContribution");
        coordinator.MapPost(
            "/rounds/{id}/items/{itemId}/settlement",
            (string id, string itemId, HttpRequest request, DurableTaskClient client, SettlementApi settlements, CancellationToken ct) =>
                settlements.SettleAsync(id, itemId, request, client, ct)).WithName("SettleItem");

        // The console: not behind the coordinator key, as in Azure; sign-in protects each page and form (CoordinatorSignIn).
        api.MapGet("/console/rounds/{id}", (string id, HttpRequest request, RoundPageApi page, CancellationToken ct) =>
            page.ShowAsync(id, request, ct)).WithName("ConsoleRoundPage");
        api.MapGet("/console/rounds/{id}/participants", (string id, HttpRequest request, RoundPageApi page, CancellationToken ct) =>
            page.ParticipantsAsync(id, request, ct)).WithName("ConsoleRoundParticipants");
        api.MapGet("/console/scripts/round-page.js", ConsoleScripts.RoundPageScript).WithName("ConsoleRoundPageScript");
        api.MapPost(
            "/console/rounds/{id}/deadline",
            (string id, HttpRequest request, DurableTaskClient client, RoundPageApi page, CancellationToken ct) =>
                page.MoveDeadlineAsync(id, request, client, ct)).WithName("ConsoleMoveDeadline");
        api.MapPost(
            "/console/rounds/{id}/reminders",
            (string id, HttpRequest request, DurableTaskClient client, RoundPageApi page, CancellationToken ct) =>
                page.RemindAsync(id, request, client, ct)).WithName("ConsoleRemindParticipants");
        api.MapPost(
            "/console/rounds/{id}/review",
            (string id, HttpRequest request, DurableTaskClient client, RoundPageApi page, CancellationToken ct) =>
                page.ReviewAsync(id, request, client, ct)).WithName("ConsoleReviewPosition");
        api.MapPost(
            "/console/rounds/{id}/cancel",
            (string id, HttpRequest request, DurableTaskClient client, RoundPageApi page, CancellationToken ct) =>
                page.CancelAsync(id, request, client, ct)).WithName("ConsoleCancelRound");
        api.MapPost(
            "/console/rounds/{id}/items/{itemId}/settlement",
            (string id, string itemId, HttpRequest request, DurableTaskClient client, RoundPageApi page, CancellationToken ct) =>
                page.SettleAsync(id, itemId, request, client, ct)).WithName("ConsoleSettleItem");

        // Anonymous: the reply token in the path is the credential.
        api.MapGet("/reply/{token}", (string token, ReplyApi replies, CancellationToken ct) =>
            replies.ShowFormAsync(token, ct)).WithName("ShowReplyForm");
        api.MapPost("/reply/{token}", (string token, HttpRequest request, DurableTaskClient client, ReplyApi replies, CancellationToken ct) =>
            replies.SubmitAsync(token, request, client, ct)).WithName("SubmitReply");

        // Anonymous: SendGrid's signature is the credential.
        api.MapPost("/email/events", (HttpRequest request, EmailEventsApi events, CancellationToken ct) =>
            events.ReceiveAsync(request, ct)).WithName("ReceiveEmailEvents");

        api.MapGet("/health", HealthApi.Get).WithName("Health");
        api.MapGet("/openapi.json", (HttpResponse response) => OpenApiDocumentApi.Get(response)).WithName("OpenApiDocument");

        // The development sign-in: open to this machine's callers, not behind the coordinator's key (it is what signs in).
        api.MapGet("/console/sign-in", (HttpRequest request, [FromServices] DevelopmentSignInApi signIn) =>
            signIn.ShowAsync(request)).WithName("ConsoleShowSignIn");
        api.MapPost("/console/sign-in", (HttpRequest request, [FromServices] DevelopmentSignInApi signIn, CancellationToken ct) =>
            signIn.SignInAsync(request, ct)).WithName("ConsoleSignIn");
        api.MapPost("/console/sign-out", (HttpRequest request, [FromServices] DevelopmentSignInApi signIn) =>
            signIn.SignOutAsync(request)).WithName("ConsoleSignOut");

        // The console: not behind the function-key filter; sign-in protects its pages (CoordinatorSignIn).
        api.MapGet("/console", ConsolePages.Home).WithName("ConsoleHome");
        api.MapGet("/console/rounds", (HttpRequest request, ConsolePages console, CancellationToken ct) =>
            console.RoundsAsync(request, ct)).WithName("ConsoleRounds");
        api.MapGet("/console/rounds/new", (HttpRequest request, ConsolePages console, CancellationToken ct) =>
            console.NewRoundAsync(request, ct)).WithName("ConsoleNewRound");
        api.MapPost("/console/rounds/new", (HttpRequest request, DurableTaskClient client, ConsolePages console, CancellationToken ct) =>
            console.StartRoundAsync(request, client, ct)).WithName("ConsoleStartRound");
        api.MapGet("/console/console.js", ConsoleScripts.ConsoleScript).WithName("ConsoleScript");

        // Routing ranks a catch-all last, so this takes only what no route above does, with every method.
        api.MapMethods($"/{ApiRoutes.UnmatchedTemplate}", ApiRoutes.AnyMethod, (HttpRequest request, string? path) =>
            ApiRoutes.Unmatched(request, path)).WithName(ApiRoutes.UnmatchedName);
    }
}
