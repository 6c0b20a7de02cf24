using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Pages.Console;

namespace MultilateralFlows.Functions.Console;

/// <summary>
/// The console's page of one round and its forms. Anonymous at the gateway: a person in a browser has no function key;
/// sign-in protects each page and form (<see cref="Http.CoordinatorSignIn"/>).
/// </summary>
public sealed class RoundPageFunctions(RoundPageApi page)
{
    [Function(nameof(ConsoleRoundPage))]
    public Task<IResult> ConsoleRoundPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/rounds/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        page.ShowAsync(id, request, cancellationToken);

    [Function(nameof(ConsoleRoundParticipants))]
    public Task<IResult> ConsoleRoundParticipants(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/rounds/{id}/participants")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        page.ParticipantsAsync(id, request, cancellationToken);

    [Function(nameof(ConsoleRoundPageScript))]
    public IResult ConsoleRoundPageScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/scripts/round-page.js")] HttpRequest request) =>
        ConsoleScripts.RoundPageScript();

    [Function(nameof(ConsoleMoveDeadline))]
    public Task<IResult> ConsoleMoveDeadline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/rounds/{id}/deadline")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        page.MoveDeadlineAsync(id, request, client, cancellationToken);

    [Function(nameof(ConsoleRemindParticipants))]
    public Task<IResult> ConsoleRemindParticipants(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/rounds/{id}/reminders")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        page.RemindAsync(id, request, client, cancellationToken);

    [Function(nameof(ConsoleReviewPosition))]
    public Task<IResult> ConsoleReviewPosition(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/rounds/{id}/review")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        page.ReviewAsync(id, request, client, cancellationToken);

    [Function(nameof(ConsoleCancelRound))]
    public Task<IResult> ConsoleCancelRound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/rounds/{id}/cancel")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        page.CancelAsync(id, request, client, cancellationToken);

    [Function(nameof(ConsoleSettleItem))]
    public Task<IResult> ConsoleSettleItem(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/rounds/{id}/items/{itemId}/settlement")] HttpRequest request,
        string id,
        string itemId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        page.SettleAsync(id, itemId, request, client, cancellationToken);
}
