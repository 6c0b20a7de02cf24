using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Hosting;

/// <summary>
/// Every orchestrator and activity of the workflow, by the name both hosts give it. The Functions app declares the same
/// names with attributes; a test holds the two lists equal.
/// </summary>
public static class WorkflowCatalogue
{
    public static IReadOnlyList<string> Orchestrators { get; } = [nameof(ConsultationRound)];

    public static IReadOnlyList<ActivityRegistration> Activities { get; } =
    [
        ActivityRegistration.For<OpenRound, RoundInput, RoundPlan>(),
        ActivityRegistration.ForClient<StartLinkedRound, LinkedRoundRequest, string>(),
        ActivityRegistration.For<SendEmails, EmailBatch, int>(),
        ActivityRegistration.For<RecordDeadline, DeadlineChange, bool>(),
        ActivityRegistration.For<CloseCollection, RoundInput, bool>(),
        ActivityRegistration.For<SendMissingReceipts, RoundInput, int>(),
        ActivityRegistration.For<AssemblePosition, ConsolidationRequest, PositionSummary>(),
        ActivityRegistration.For<NotifyCoordinator, CoordinatorNotice, bool>(),
        ActivityRegistration.For<ReopenRound, ReopenRequest, bool>(),
        ActivityRegistration.ForClient<CancelRound, CancelRequest, bool>(),
        ActivityRegistration.ForClient<SubmitToParentRound, RoundInput, bool>(),
    ];

    /// <summary>Registers the workflow with a Durable Task worker (the local host and the in-memory test host).</summary>
    /// <param name="registry">The worker's registry.</param>
    /// <param name="wrap">
    /// Optional: wraps each activity (given the worker's services and the activity's name). Only the local host's test-only fault injection uses it (to widen the
    /// windows crash tests kill the host in); the workflow's behaviour never depends on it.
    /// </param>
    public static void Register(DurableTaskRegistry registry, Func<IServiceProvider, string, ITaskActivity, ITaskActivity>? wrap = null)
    {
        registry.AddOrchestratorFunc<RoundInput, RoundOutcome>(nameof(ConsultationRound), (context, input) => ConsultationRound.RunAsync(context, input));
        foreach (var activity in Activities)
        {
            activity.Register(registry, wrap);
        }
    }

    /// <summary>The activity classes, for dependency injection in either host.</summary>
    public static IServiceCollection AddWorkflowActivities(this IServiceCollection services)
    {
        foreach (var activity in Activities)
        {
            services.AddTransient(activity.ActivityType);
        }

        return services;
    }
}

/// <summary>An activity class and the name it runs under (the class name).</summary>
public sealed class ActivityRegistration
{
    readonly Func<IServiceProvider, ITaskActivity> create;

    ActivityRegistration(string name, Type activityType, Func<IServiceProvider, ITaskActivity> create)
    {
        Name = name;
        ActivityType = activityType;
        this.create = create;
    }

    public string Name { get; }

    public Type ActivityType { get; }

    public static ActivityRegistration For<TActivity, TInput, TOutput>()
        where TActivity : class, IWorkflowActivity<TInput, TOutput>
    {
        return new ActivityRegistration(typeof(TActivity).Name, typeof(TActivity), services =>
            new ServiceActivity<TActivity, TInput, TOutput>(services.GetRequiredService<TActivity>()));
    }

    /// <summary>An activity that is handed the Durable Task client: here it comes from the container.</summary>
    public static ActivityRegistration ForClient<TActivity, TInput, TOutput>()
        where TActivity : class, IWorkflowClientActivity<TInput, TOutput>
    {
        return new ActivityRegistration(typeof(TActivity).Name, typeof(TActivity), services =>
            new ServiceClientActivity<TActivity, TInput, TOutput>(services.GetRequiredService<TActivity>(), services.GetRequiredService<DurableTaskClient>()));
    }

    public void Register(DurableTaskRegistry registry, Func<IServiceProvider, string, ITaskActivity, ITaskActivity>? wrap = null) =>
        registry.AddActivity(Name, services => wrap is null ? create(services) : wrap(services, Name, create(services)));

    /// <summary>Runs a workflow activity resolved from the container under the Durable Task worker.</summary>
    sealed class ServiceActivity<TActivity, TInput, TOutput>(TActivity activity) : TaskActivity<TInput, TOutput>
        where TActivity : IWorkflowActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => activity.RunAsync(input);
    }

    sealed class ServiceClientActivity<TActivity, TInput, TOutput>(TActivity activity, DurableTaskClient client) : TaskActivity<TInput, TOutput>
        where TActivity : IWorkflowClientActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => activity.RunAsync(input, client);
    }
}
