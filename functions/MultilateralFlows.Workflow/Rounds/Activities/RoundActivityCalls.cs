using Microsoft.DurableTask;
using MultilateralFlows.Email;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// How an orchestration calls each activity: one typed extension per activity, as durabletask-dotnet's source generator
/// would write them (the generator is not used here). Each names its activity's class, so the compiler holds the task
/// name, the input and the output to that class, and the name is the one the catalogue registers it under.
/// </summary>
public static class RoundActivityCalls
{
    public static Task<RoundPlan> OpenRoundAsync(this TaskOrchestrationContext context, RoundInput input, TaskOptions options) =>
        context.Call<OpenRound, RoundInput, RoundPlan>(input, options);

    public static Task<string> StartLinkedRoundAsync(this TaskOrchestrationContext context, LinkedRoundRequest input, TaskOptions options) =>
        context.CallWithClient<StartLinkedRound, LinkedRoundRequest, string>(input, options);

    public static Task<int> SendEmailsAsync(this TaskOrchestrationContext context, EmailBatch input, TaskOptions options) =>
        context.Call<SendEmails, EmailBatch, int>(input, options);

    public static Task<bool> RecordDeadlineAsync(this TaskOrchestrationContext context, DeadlineChange input, TaskOptions options) =>
        context.Call<RecordDeadline, DeadlineChange, bool>(input, options);

    public static Task<bool> CloseCollectionAsync(this TaskOrchestrationContext context, RoundInput input, TaskOptions options) =>
        context.Call<CloseCollection, RoundInput, bool>(input, options);

    public static Task<int> SendMissingReceiptsAsync(this TaskOrchestrationContext context, RoundInput input, TaskOptions options) =>
        context.Call<SendMissingReceipts, RoundInput, int>(input, options);

    public static Task<PositionSummary> AssemblePositionAsync(
        this TaskOrchestrationContext context, ConsolidationRequest input, TaskOptions options) =>
        context.Call<AssemblePosition, ConsolidationRequest, PositionSummary>(input, options);

    public static Task<bool> NotifyCoordinatorAsync(this TaskOrchestrationContext context, CoordinatorNotice input, TaskOptions options) =>
        context.Call<NotifyCoordinator, CoordinatorNotice, bool>(input, options);

    public static Task<bool> ReopenRoundAsync(this TaskOrchestrationContext context, ReopenRequest input, TaskOptions options) =>
        context.Call<ReopenRound, ReopenRequest, bool>(input, options);

    public static Task<bool> CancelRoundAsync(this TaskOrchestrationContext context, CancelRequest input, TaskOptions options) =>
        context.CallWithClient<CancelRound, CancelRequest, bool>(input, options);

    public static Task<bool> SubmitToParentRoundAsync(this TaskOrchestrationContext context, RoundInput input, TaskOptions options) =>
        context.CallWithClient<SubmitToParentRound, RoundInput, bool>(input, options);

    public static Task<int> DistributeFinalPositionAsync(
        this TaskOrchestrationContext context, FinalPositionDistribution input, TaskOptions options) =>
        context.Call<DistributeFinalPosition, FinalPositionDistribution, int>(input, options);

    // Two helpers because a constraint cannot say "either interface"; the task name is the class name, as registered.
    static Task<TOutput> Call<TActivity, TInput, TOutput>(this TaskOrchestrationContext context, TInput input, TaskOptions options)
        where TActivity : IWorkflowActivity<TInput, TOutput> =>
        context.CallActivityAsync<TOutput>(typeof(TActivity).Name, input, options);

    static Task<TOutput> CallWithClient<TActivity, TInput, TOutput>(this TaskOrchestrationContext context, TInput input, TaskOptions options)
        where TActivity : IWorkflowClientActivity<TInput, TOutput> =>
        context.CallActivityAsync<TOutput>(typeof(TActivity).Name, input, options);
}
