using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Functions.Rounds;

/// <summary>The coordinator's routes. Function keys protect them in Azure (<see cref="AuthorizationLevel.Function"/>).</summary>
public sealed class RoundFunctions(RoundsApi rounds, RoundActionsApi actions)
{
    [Function(nameof(StartRound))]
    public Task<IResult> StartRound(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        rounds.StartRoundAsync(request, client, cancellationToken);

    [Function(nameof(ListRounds))]
    public Task<IResult> ListRounds(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rounds")] HttpRequest request,
        CancellationToken cancellationToken) =>
        rounds.ListRoundsAsync(request.Query, cancellationToken);

    [Function(nameof(GetRound))]
    public Task<IResult> GetRound(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rounds/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        rounds.GetRoundAsync(id, cancellationToken);

    [Function(nameof(GetPosition))]
    public Task<IResult> GetPosition(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rounds/{id}/position")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        rounds.GetPositionAsync(id, request.Query["format"], request.Query["version"], request.Query["lang"], cancellationToken);

    [Function(nameof(GetAudit))]
    public Task<IResult> GetAudit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rounds/{id}/audit")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        rounds.GetAuditAsync(id, cancellationToken);

    [Function(nameof(MoveDeadline))]
    public Task<IResult> MoveDeadline(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds/{id}/deadline")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        actions.MoveDeadlineAsync(id, request, client, cancellationToken);

    [Function(nameof(RemindParticipants))]
    public Task<IResult> RemindParticipants(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds/{id}/reminders")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        actions.RemindAsync(id, request, client, cancellationToken);

    [Function(nameof(ReviewPosition))]
    public Task<IResult> ReviewPosition(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds/{id}/review")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        actions.ReviewAsync(id, request, client, cancellationToken);

    [Function(nameof(RequestCancellation))]
    public Task<IResult> RequestCancellation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds/{id}/cancel")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        actions.CancelAsync(id, request, client, cancellationToken);
}
