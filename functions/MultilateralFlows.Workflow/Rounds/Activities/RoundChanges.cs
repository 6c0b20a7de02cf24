using Microsoft.DurableTask.Client;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>Persists a deadline the coordinator moved, once the round has taken it on.</summary>
public sealed class RecordDeadline(RoundStore rounds, AuditLog audit) : IWorkflowActivity<DeadlineChange, bool>
{
    public async Task<bool> RunAsync(DeadlineChange input, CancellationToken cancellationToken = default)
    {
        await rounds.UpdateAsync(input.RoundId, round => round.Deadline = input.Deadline, cancellationToken);
        await audit.AppendAsync(input.RoundId, "DeadlineMoved", "workflow", $"New deadline {input.Deadline:O}.", cancellationToken);
        return true;
    }
}

/// <summary>Stops accepting replies: from here on, every reply link of the round answers that the round is closed.</summary>
public sealed class CloseCollection(RequestStore requests, AuditLog audit) : IWorkflowActivity<RoundInput, bool>
{
    public async Task<bool> RunAsync(RoundInput input, CancellationToken cancellationToken = default)
    {
        await requests.CloseCollectionAsync(input.RoundId, cancellationToken);
        await audit.AppendAsync(input.RoundId, "CollectionClosed", "workflow", "Replies are no longer accepted.", cancellationToken);
        return true;
    }
}

/// <summary>Opens the divergent items again, to the same respondents through the same links, until the new deadline.</summary>
public sealed class ReopenRound(RequestStore requests, AuditLog audit) : IWorkflowActivity<ReopenRequest, bool>
{
    public async Task<bool> RunAsync(ReopenRequest input, CancellationToken cancellationToken = default)
    {
        await requests.ReopenAsync(input.RoundId, input.Iteration, input.Items, input.Deadline, cancellationToken);
        var comments = string.IsNullOrWhiteSpace(input.Comments) ? "" : $" Coordinator's comments: {input.Comments}";
        await audit.AppendAsync(input.RoundId, "RoundReopened", input.ReopenedBy ?? "workflow",
            $"Iteration {input.Iteration} on item(s) {string.Join(", ", input.Items)} until {input.Deadline:O}.{comments}", cancellationToken);
        return true;
    }
}

/// <summary>Cancels a round: no more replies, phase Cancelled, and a linked SOIA round still running is cancelled too.</summary>
public sealed class CancelRound(RoundStore rounds, RequestStore requests, AuditLog audit) : IWorkflowClientActivity<CancelRequest, bool>
{
    public async Task<bool> RunAsync(CancelRequest input, DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        await requests.CloseCollectionAsync(input.RoundId, cancellationToken);
        await rounds.SetPhaseAsync(input.RoundId, RoundPhase.Cancelled, positionVersion: null, cancellationToken);
        foreach (var linked in (await requests.ListAsync(input.RoundId, cancellationToken)).Select(r => r.LinkedRoundId).OfType<string>())
        {
            if (await rounds.GetAsync(linked, cancellationToken) is { IsActive: true })
            {
                await client.RaiseEventAsync(
                    linked, RoundSignal.EventName, RoundSignal.Cancel($"COORMULTI round {input.RoundId} was cancelled."), cancellationToken);
            }
        }

        var detail = string.IsNullOrWhiteSpace(input.Reason) ? "Cancelled." : $"Cancelled: {input.Reason}";
        await audit.AppendAsync(input.RoundId, "RoundCancelled", "workflow", detail, cancellationToken);
        return true;
    }
}
