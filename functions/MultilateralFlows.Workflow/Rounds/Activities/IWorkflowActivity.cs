namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// An activity of the workflow: plain code with injected services, run at least once by either host. Implementations
/// are idempotent: running one twice with the same input leaves the same state and sends nothing twice.
/// </summary>
public interface IWorkflowActivity<in TInput, TOutput>
{
    Task<TOutput> RunAsync(TInput input, CancellationToken cancellationToken = default);
}
