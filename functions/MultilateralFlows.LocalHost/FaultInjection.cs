using Microsoft.DurableTask;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// Test-only pauses around activities (<c>LocalHost__FaultInjection__DelayBefore__{Activity}</c>,
/// <c>LocalHost__FaultInjection__DelayAfter__{Activity}</c>, as a time span). The crash tests kill the host with SIGKILL
/// "while requests are being sent" or "during consolidation"; on a fast machine those windows last milliseconds, so a
/// test could not hit them on purpose. A pause after an activity's work (its e-mails sent, its position stored) and
/// before it reports back to the round makes the worst moment for a crash last seconds: the work is done, and the
/// round will run the activity again after the restart. Only the local host reads these settings (the Functions app has
/// no such hook), nothing is paused unless they are set, and the host says so loudly at start.
/// </summary>
public sealed class FaultInjectionOptions
{
    public Dictionary<string, TimeSpan> DelayBefore { get; set; } = [];

    public Dictionary<string, TimeSpan> DelayAfter { get; set; } = [];

    public bool IsActive => DelayBefore.Count > 0 || DelayAfter.Count > 0;

    /// <summary>Wraps the named activities that have a pause; every other activity runs as it is.</summary>
    public Func<IServiceProvider, string, ITaskActivity, ITaskActivity>? ActivityWrapper()
    {
        if (!IsActive)
        {
            return null;
        }

        var before = new Dictionary<string, TimeSpan>(DelayBefore, StringComparer.OrdinalIgnoreCase);
        var after = new Dictionary<string, TimeSpan>(DelayAfter, StringComparer.OrdinalIgnoreCase);
        return (services, name, activity) => before.ContainsKey(name) || after.ContainsKey(name)
            ? new PausedActivity(activity, before.GetValueOrDefault(name), after.GetValueOrDefault(name), services.GetRequiredService<ILogger<FaultInjectionOptions>>())
            : activity;
    }

    /// <summary>The activity with its pauses; the log lines are what the crash tests watch for.</summary>
    sealed class PausedActivity(ITaskActivity inner, TimeSpan before, TimeSpan after, ILogger logger) : ITaskActivity
    {
        public Type InputType => inner.InputType;

        public Type OutputType => inner.OutputType;

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            logger.LogWarning("Fault injection: {Activity} of {InstanceId} starts; pausing {Delay} before it runs", context.Name.Name, context.InstanceId, before);
            await Task.Delay(before);
            var result = await inner.RunAsync(context, input);
            logger.LogWarning("Fault injection: {Activity} of {InstanceId} did its work; pausing {Delay} before it reports", context.Name.Name, context.InstanceId, after);
            await Task.Delay(after);
            return result;
        }
    }
}
