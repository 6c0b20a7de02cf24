using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MultilateralFlows.Housekeeping;

/// <summary>
/// Purges the engine's history of rounds that finished (completed, terminated or failed) longer ago than the retention:
/// a round lives on in its own rows, audit and position blobs, which the coordinator's routes read; the engine's
/// instance and history rows of a finished round serve only to look into what happened, and would otherwise grow
/// forever. A run reads the finished instances a page at a time and stops at its time limit: what is left waits for the
/// next run.
/// </summary>
public sealed class HistoryPurge(IOptions<HousekeepingOptions> options, TimeProvider time, ILogger<HistoryPurge> logger)
{
    static readonly OrchestrationRuntimeStatus[] Finished =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Terminated, OrchestrationRuntimeStatus.Failed];

    /// <summary>Purges what is due; returns how many instances were purged.</summary>
    public async Task<int> PurgeAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = time.GetUtcNow() - settings.Retention;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(settings.TimeLimit);

        // Created before the cut-off is a cheap filter the engine applies; finished before it is checked here.
        var query = new OrchestrationQuery { CreatedTo = cutoff, Statuses = Finished, PageSize = settings.PageSize };
        var purged = 0;
        var complete = true;
        try
        {
            await foreach (var page in client.GetAllInstancesAsync(query).AsPages(pageSizeHint: settings.PageSize).WithCancellation(limit.Token))
            {
                foreach (var instance in page.Values.Where(i => i.LastUpdatedAt <= cutoff))
                {
                    purged += (await client.PurgeInstanceAsync(instance.InstanceId, limit.Token)).PurgedInstanceCount;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            complete = false;
        }

        if (purged > 0 || !complete)
        {
            logger.LogInformation(
                "Housekeeping: purged the engine history of {PurgedCount} round(s) finished before {Cutoff:O}{Rest}",
                purged, cutoff, complete ? "" : "; the time limit was reached, the rest is left to the next run");
        }

        return purged;
    }
}
