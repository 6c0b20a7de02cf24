using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using MultilateralFlows.Housekeeping;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// The local host's counterpart of the Functions app's housekeeping timer trigger: the same work on the same schedule
/// (<c>Housekeeping__Schedule</c>). A run that fails is logged and the next one comes as planned.
/// </summary>
public sealed class HousekeepingTimer(
    IOptions<HousekeepingOptions> options,
    HousekeepingRun housekeeping,
    DurableTaskClient client,
    TimeProvider time,
    ILogger<HousekeepingTimer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = options.Value.ParsedSchedule();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = schedule.GetNextOccurrence(now);
            await Task.Delay(next - now, time, stoppingToken);
            try
            {
                await housekeeping.RunAsync(client, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Housekeeping failed; it runs again at the next scheduled time");
            }
        }
    }
}
