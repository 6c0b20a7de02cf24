using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Functions.Orchestration;

/// <summary>
/// The round's activities as functions, one per activity that <c>WorkflowCatalogue.Activities</c> declares: the Worker SDK
/// builds its function list from these attributes at compile time, so they are written out here, and
/// <c>HostParityTests</c> holds their names, inputs and outputs to the declaration. Each one only hands its input to the
/// activity class (resolved per call, as activities are transient), and the Durable Task client where the activity
/// starts or signals another round.
/// </summary>
public sealed class RoundActivityFunctions(IServiceProvider services)
{
    [Function(nameof(OpenRound))]
    public Task<RoundPlan> OpenRound([ActivityTrigger] RoundInput input, CancellationToken cancellationToken) =>
        Activity<OpenRound>().RunAsync(input, cancellationToken);

    [Function(nameof(StartLinkedRound))]
    public Task<string> StartLinkedRound(
        [ActivityTrigger] LinkedRoundRequest input, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        Activity<StartLinkedRound>().RunAsync(input, client, cancellationToken);

    [Function(nameof(SendEmails))]
    public Task<int> SendEmails([ActivityTrigger] EmailBatch input, CancellationToken cancellationToken) =>
        Activity<SendEmails>().RunAsync(input, cancellationToken);

    [Function(nameof(RecordDeadline))]
    public Task<bool> RecordDeadline([ActivityTrigger] DeadlineChange input, CancellationToken cancellationToken) =>
        Activity<RecordDeadline>().RunAsync(input, cancellationToken);

    [Function(nameof(CloseCollection))]
    public Task<bool> CloseCollection([ActivityTrigger] RoundInput input, CancellationToken cancellationToken) =>
        Activity<CloseCollection>().RunAsync(input, cancellationToken);

    [Function(nameof(SendMissingReceipts))]
    public Task<int> SendMissingReceipts([ActivityTrigger] RoundInput input, CancellationToken cancellationToken) =>
        Activity<SendMissingReceipts>().RunAsync(input, cancellationToken);

    [Function(nameof(AssemblePosition))]
    public Task<PositionSummary> AssemblePosition([ActivityTrigger] ConsolidationRequest input, CancellationToken cancellationToken) =>
        Activity<AssemblePosition>().RunAsync(input, cancellationToken);

    [Function(nameof(NotifyCoordinator))]
    public Task<bool> NotifyCoordinator([ActivityTrigger] CoordinatorNotice input, CancellationToken cancellationToken) =>
        Activity<NotifyCoordinator>().RunAsync(input, cancellationToken);

    [Function(nameof(ReopenRound))]
    public Task<bool> ReopenRound([ActivityTrigger] ReopenRequest input, CancellationToken cancellationToken) =>
        Activity<ReopenRound>().RunAsync(input, cancellationToken);

    [Function(nameof(CancelRound))]
    public Task<bool> CancelRound(
        [ActivityTrigger] CancelRequest input, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        Activity<CancelRound>().RunAsync(input, client, cancellationToken);

    [Function(nameof(SubmitToParentRound))]
    public Task<bool> SubmitToParentRound(
        [ActivityTrigger] RoundInput input, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        Activity<SubmitToParentRound>().RunAsync(input, client, cancellationToken);

    [Function(nameof(DistributeFinalPosition))]
    public Task<int> DistributeFinalPosition([ActivityTrigger] FinalPositionDistribution input, CancellationToken cancellationToken) =>
        Activity<DistributeFinalPosition>().RunAsync(input, cancellationToken);

    T Activity<T>()
        where T : notnull => (T)services.GetService(typeof(T))!;
}
