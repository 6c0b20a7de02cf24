using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace MultilateralFlows.Housekeeping;

/// <summary>
/// One run of housekeeping, on either host's timer: the stuck-round watchdog, then the purge of finished rounds' engine
/// history. They share the schedule; a failing watchdog is logged and does not keep the purge from running.
/// </summary>
public sealed class HousekeepingRun(StuckRoundWatchdog watchdog, HistoryPurge purge, ILogger<HousekeepingRun> logger)
{
    public async Task RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            await watchdog.CheckAsync(client, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Housekeeping: the stuck-round check failed; it runs again at the next scheduled time");
        }

        await purge.PurgeAsync(client, cancellationToken);
    }
}
