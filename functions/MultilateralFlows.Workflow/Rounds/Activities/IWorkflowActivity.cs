using Microsoft.DurableTask.Client;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// An activity of the workflow: plain code with injected services, run at least once by either host. Implementations
/// are idempotent: running one twice with the same input leaves the same state and sends nothing twice.
/// </summary>
public interface IWorkflowActivity<in TInput, TOutput>
{
    Task<TOutput> RunAsync(TInput input, CancellationToken cancellationToken = default);
}

/// <summary>
/// An activity that starts or signals other orchestrations. Each host hands it its Durable Task client: the Functions
/// app through the <c>[DurableClient]</c> binding, the local host from its container.
/// </summary>
public interface IWorkflowClientActivity<in TInput, TOutput>
{
    Task<TOutput> RunAsync(TInput input, DurableTaskClient client, CancellationToken cancellationToken = default);
}
