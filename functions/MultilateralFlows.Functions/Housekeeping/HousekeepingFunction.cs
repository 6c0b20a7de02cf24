using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Housekeeping;

namespace MultilateralFlows.Functions.Housekeeping;

/// <summary>
/// Housekeeping (the stuck-round watchdog, then the history purge) on the schedule <c>Housekeeping__Schedule</c> names;
/// the local host runs the same on its own timer.
/// </summary>
public sealed class HousekeepingFunction(HousekeepingRun housekeeping)
{
    [Function(nameof(Housekeeping))]
    public Task Housekeeping(
        [TimerTrigger(HousekeepingOptions.ScheduleSetting)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        housekeeping.RunAsync(client, cancellationToken);
}
