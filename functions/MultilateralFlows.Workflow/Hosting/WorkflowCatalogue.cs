using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Hosting;

/// <summary>
/// The workflow's orchestrator and activities, declared once, under the names both hosts give them. The local host and
/// the in-memory test host register from here. The Functions app keeps one function per activity (the Worker SDK builds
/// its function list from attributes at compile time); a test holds those to this declaration. Orchestrations call the
/// activities through their typed extensions, <see cref="RoundActivityCalls"/>.
/// </summary>
public static class WorkflowCatalogue
{
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
        ActivityRegistration.For<DistributeFinalPosition, FinalPositionDistribution, int>(),
    ];

    /// <summary>Registers the workflow with a Durable Task worker: the orchestrator and every activity.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        RegisterOrchestrators(registry);
        foreach (var activity in Activities)
        {
            registry.AddActivity(activity.Name, activity.Create);
        }
    }

    /// <summary>The orchestrator alone, for a worker that makes the activities itself (the in-memory tests run fakes).</summary>
    /// <remarks>A lambda, not a method group: the Durable Task analyzers fail on a method group from another file.</remarks>
    public static void RegisterOrchestrators(DurableTaskRegistry registry) =>
        registry.AddOrchestratorFunc<RoundInput, RoundOutcome>(
            nameof(ConsultationRound), (context, input) => ConsultationRound.RunAsync(context, input));

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

/// <summary>An activity as declared: its class, the name it runs under (the class name), its input and its output.</summary>
public sealed class ActivityRegistration
{
    readonly Func<IServiceProvider, ITaskActivity> create;

    ActivityRegistration(Type activityType, Type inputType, Type outputType, Func<IServiceProvider, ITaskActivity> create)
    {
        Name = activityType.Name;
        ActivityType = activityType;
        InputType = inputType;
        OutputType = outputType;
        this.create = create;
    }

    public string Name { get; }

    public Type ActivityType { get; }

    public Type InputType { get; }

    public Type OutputType { get; }

    public static ActivityRegistration For<TActivity, TInput, TOutput>()
        where TActivity : class, IWorkflowActivity<TInput, TOutput>
    {
        return new ActivityRegistration(typeof(TActivity), typeof(TInput), typeof(TOutput), services =>
            new ServiceActivity<TActivity, TInput, TOutput>(services.GetRequiredService<TActivity>()));
    }

    /// <summary>An activity that is handed the Durable Task client: here it comes from the container.</summary>
    public static ActivityRegistration ForClient<TActivity, TInput, TOutput>()
        where TActivity : class, IWorkflowClientActivity<TInput, TOutput>
    {
        return new ActivityRegistration(typeof(TActivity), typeof(TInput), typeof(TOutput), services =>
            new ServiceClientActivity<TActivity, TInput, TOutput>(
                services.GetRequiredService<TActivity>(), services.GetRequiredService<DurableTaskClient>()));
    }

    /// <summary>The activity as a Durable Task worker runs it, its class resolved from the worker's services.</summary>
    public ITaskActivity Create(IServiceProvider services) => create(services);

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
