using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Functions.Rounds;

/// <summary>The coordinator's routes. Function keys protect them in Azure (<see cref="AuthorizationLevel.Function"/>).</summary>
public sealed class RoundFunctions(RoundsApi api)
{
    [Function(nameof(StartRound))]
    public Task<IResult> StartRound(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.StartRoundAsync(request, client, cancellationToken);

    [Function(nameof(GetRound))]
    public Task<IResult> GetRound(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rounds/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        api.GetRoundAsync(id, cancellationToken);

    [Function(nameof(GetPosition))]
    public Task<IResult> GetPosition(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rounds/{id}/position")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        api.GetPositionAsync(id, request.Query["format"], cancellationToken);
}
