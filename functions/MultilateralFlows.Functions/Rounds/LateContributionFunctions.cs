using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Functions.Rounds;

/// <summary>
/// The coordinator's decision on a late contribution. Function keys protect it in Azure (<see cref="AuthorizationLevel.Function"/>).
/// </summary>
public sealed class LateContributionFunctions(LateContributionsApi late)
{
    [Function(nameof(DecideLateContribution))]
    public Task<IResult> DecideLateContribution(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rounds/{id}/late-contributions/{participant}")] HttpRequest request,
        string id,
        string participant,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        late.DecideAsync(id, participant, request, client, cancellationToken);
}
