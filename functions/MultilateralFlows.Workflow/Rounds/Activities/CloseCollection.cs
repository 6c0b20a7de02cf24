using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>Stops accepting replies: from here on, every reply link of the round answers that the round is closed.</summary>
public sealed class CloseCollection(RoundStore rounds) : IWorkflowActivity<RoundInput, bool>
{
    public async Task<bool> RunAsync(RoundInput input, CancellationToken cancellationToken = default)
    {
        await rounds.CloseCollectionAsync(input.RoundId, cancellationToken);
        await rounds.AppendAuditAsync(input.RoundId, "CollectionClosed", "workflow", "Replies are no longer accepted.", cancellationToken);
        return true;
    }
}
