using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Functions.Rounds;

/// <summary>The coordinator settles an item of a round in review. Function keys protect it in Azure, as every coordinator route.</summary>
public sealed class SettlementFunctions(SettlementApi settlements)
{
    [Function(nameof(SettleItem))]
    public Task<IResult> SettleItem(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds/{id}/items/{itemId}/settlement")] HttpRequest request,
        string id,
        string itemId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        settlements.SettleAsync(id, itemId, request, client, cancellationToken);
}
