using Microsoft.DurableTask;
using MultilateralFlows.Hosting;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// Test-only pauses around activities (<c>LocalHost__FaultInjection__DelayBefore__{Activity}</c>,
/// <c>LocalHost__FaultInjection__DelayAfter__{Activity}</c>, as a time span). The crash tests kill the host with SIGKILL
/// "while requests are being sent" or "during consolidation"; on a fast machine those windows last milliseconds, so a
/// test could not hit them on purpose. A pause after an activity's work (its e-mails sent, its position stored) and
/// before it reports back to the round makes the worst moment for a crash last seconds: the work is done, and the
/// round will run the activity again after the restart. Only the local host reads these settings, and only when one is
/// set does it register the workflow through <see cref="Register"/> instead of <see cref="WorkflowCatalogue.Register"/>:
/// the workflow's own registration knows nothing of it, the Functions app has no such hook, and the host says so loudly
/// at start.
/// </summary>
public sealed class FaultInjectionOptions
{
    public Dictionary<string, TimeSpan> DelayBefore { get; set; } = [];

    public Dictionary<string, TimeSpan> DelayAfter { get; set; } = [];

    public bool IsActive => DelayBefore.Count > 0 || DelayAfter.Count > 0;

    /// <summary>Registers the workflow as the catalogue declares it, each activity with the pauses set for it.</summary>
    public void Register(DurableTaskRegistry registry)
    {
        WorkflowCatalogue.RegisterOrchestrators(registry);
        foreach (var activity in WorkflowCatalogue.Activities)
        {
            registry.AddActivity(activity.Name, services => WithPauses(activity.Name, activity.Create(services), services));
        }
    }

    /// <summary>The activity with the pauses set for its name; an activity without any runs as it is.</summary>
    public ITaskActivity WithPauses(string name, ITaskActivity activity, IServiceProvider services)
    {
        var before = PauseFor(DelayBefore, name);
        var after = PauseFor(DelayAfter, name);
        if (before is null && after is null)
        {
            return activity;
        }

        var logger = services.GetRequiredService<ILogger<FaultInjectionOptions>>();
        return new PausedActivity(activity, before ?? TimeSpan.Zero, after ?? TimeSpan.Zero, logger);
    }

    // Setting names are not case-sensitive; the binder keeps the case the setting was written in.
    static TimeSpan? PauseFor(Dictionary<string, TimeSpan> pauses, string activity) =>
        pauses.Where(p => string.Equals(p.Key, activity, StringComparison.OrdinalIgnoreCase)).Select(p => (TimeSpan?)p.Value).FirstOrDefault();

    /// <summary>The activity with its pauses; the log lines are what the crash tests watch for.</summary>
    sealed class PausedActivity(ITaskActivity inner, TimeSpan before, TimeSpan after, ILogger logger) : ITaskActivity
    {
        public Type InputType => inner.InputType;

        public Type OutputType => inner.OutputType;

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            logger.LogWarning(
                "Fault injection: {Activity} of {InstanceId} starts; pausing {Delay} before it runs", context.Name.Name, context.InstanceId, before);
            await Task.Delay(before);
            var result = await inner.RunAsync(context, input);
            logger.LogWarning(
                "Fault injection: {Activity} of {InstanceId} did its work; pausing {Delay} before it reports",
                context.Name.Name,
                context.InstanceId,
                after);
            await Task.Delay(after);
            return result;
        }
    }
}
