using Microsoft.Azure.Functions.Worker;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Functions.Orchestration;

/// <summary>The round's activities as functions; each one only hands its input to the activity class.</summary>
public sealed class RoundActivityFunctions(
    OpenRound openRound,
    SendEmails sendEmails,
    CloseCollection closeCollection,
    AssemblePosition assemblePosition,
    NotifyCoordinator notifyCoordinator)
{
    [Function(nameof(OpenRound))]
    public Task<RoundPlan> OpenRound([ActivityTrigger] RoundInput input, CancellationToken cancellationToken) =>
        openRound.RunAsync(input, cancellationToken);

    [Function(nameof(SendEmails))]
    public Task<int> SendEmails([ActivityTrigger] EmailBatch input, CancellationToken cancellationToken) =>
        sendEmails.RunAsync(input, cancellationToken);

    [Function(nameof(CloseCollection))]
    public Task<bool> CloseCollection([ActivityTrigger] RoundInput input, CancellationToken cancellationToken) =>
        closeCollection.RunAsync(input, cancellationToken);

    [Function(nameof(AssemblePosition))]
    public Task<int> AssemblePosition([ActivityTrigger] ConsolidationRequest input, CancellationToken cancellationToken) =>
        assemblePosition.RunAsync(input, cancellationToken);

    [Function(nameof(NotifyCoordinator))]
    public Task<bool> NotifyCoordinator([ActivityTrigger] CoordinatorNotice input, CancellationToken cancellationToken) =>
        notifyCoordinator.RunAsync(input, cancellationToken);
}
