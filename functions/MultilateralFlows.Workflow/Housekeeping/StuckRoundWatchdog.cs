using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Housekeeping;

/// <summary>What the watchdog found of a stuck round's workflow.</summary>
public enum StuckWorkflow
{
    /// <summary>The engine has no instance for the round: it was never scheduled, or its history was removed.</summary>
    Missing,

    /// <summary>The instance failed (an activity past its retries, or the orchestrator itself, e.g. on replay after a deploy).</summary>
    Failed,

    /// <summary>Someone terminated the instance.</summary>
    Terminated,
}

/// <summary>
/// Finds rounds that are stuck: the round row says collecting or reviewing, but no workflow runs the round (the engine
/// has no instance for it, or the instance failed or was terminated), so nothing will remind, assemble, approve or close
/// it, and the coordinator's actions are refused. Each such round is recorded once on its row with an audit entry (an
/// ETag decides between checks racing on both hosts), logged as a warning, and its coordinator told once (the e-mail
/// ledger decides); for a linked SOIA round, the COORMULTI round's audit and coordinator too. The round list shows what
/// is recorded (<c>GET /api/rounds?stuck=true</c>). A round whose workflow runs again is no longer listed.
/// </summary>
public sealed class StuckRoundWatchdog(
    RoundStore rounds,
    RoundIndexStore roundIndex,
    AuditLog audit,
    CoordinatorNotices notices,
    IOptions<HousekeepingOptions> options,
    TimeProvider time,
    ILogger<StuckRoundWatchdog> logger)
{
    /// <summary>Checks every open round past the grace age; returns how many are stuck.</summary>
    public async Task<int> CheckAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        // A younger round may be between being stored and having its workflow scheduled: not stuck, just starting.
        var createdBefore = time.GetUtcNow() - options.Value.StuckRoundGrace;
        var stuck = 0;
        await foreach (var entry in roundIndex.ListOpenAsync(createdBefore, cancellationToken))
        {
            if (await CheckRoundAsync(client, entry, cancellationToken))
            {
                stuck++;
            }
        }

        return stuck;
    }

    async Task<bool> CheckRoundAsync(DurableTaskClient client, RoundIndexRow entry, CancellationToken cancellationToken)
    {
        // The workflow first, then the row: a round that finishes in between is then seen as finished, not as stuck.
        var workflow = await WorkflowAsync(client, entry.RoundId, cancellationToken);
        if (workflow is null && entry.StuckSince is null)
        {
            return false;
        }

        var round = await rounds.GetRowAsync(entry.RoundId, cancellationToken);
        if (round is null || round.Phase is not (nameof(RoundPhase.Collecting) or nameof(RoundPhase.Reviewing)))
        {
            return false;
        }

        var id = round.PartitionKey;
        if (workflow is not { } found)
        {
            if (round.StuckSince is not null && await rounds.ClearStuckAsync(round, "The round's workflow runs again.", cancellationToken))
            {
                logger.LogInformation("Round {RoundId}: its workflow runs again; it is no longer listed as stuck", id);
            }

            return false;
        }

        if (round.StuckSince is null)
        {
            var detail = $"The round is {round.Phase.ToLowerInvariant()} but its workflow {Describe(found)}: nothing will act on it.";
            if (!await rounds.MarkStuckAsync(round, found.ToString(), detail, cancellationToken))
            {
                // Another check recorded it a moment ago and tells the coordinator; if it died first, the next check does.
                return true;
            }

            logger.LogWarning(
                "Round {RoundId} is stuck: its row says {Phase} but its workflow {Workflow}; the coordinator is told",
                id, round.Phase, Describe(found));
            if (round.ParentRoundId is { } parentId)
            {
                // Flanders' reply to the COORMULTI round is what is at stake: its audit says so too (once: only the
                // check that recorded the round writes it).
                var linked = $"The linked SOIA round {id}, where Flanders agrees its reply, is stuck: {detail}";
                await audit.AppendAsync(parentId, "LinkedRoundStuck", "watchdog", linked, cancellationToken);
            }
        }
        else if (entry.StuckSince is null)
        {
            // Recorded on the row, but the process died before the list of rounds took it.
            await roundIndex.UpsertAsync(round, cancellationToken);
        }

        // Every check until the notice has settled: the ledger sends it once, even to checks racing on both hosts.
        await notices.SendStuckAsync(id, round.Iteration, Describe(found), cancellationToken);
        return true;
    }

    static async Task<StuckWorkflow?> WorkflowAsync(DurableTaskClient client, string roundId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(roundId, cancellationToken) switch
        {
            null => StuckWorkflow.Missing,
            { RuntimeStatus: OrchestrationRuntimeStatus.Failed } => StuckWorkflow.Failed,
            { RuntimeStatus: OrchestrationRuntimeStatus.Terminated } => StuckWorkflow.Terminated,
            _ => null,
        };

    static string Describe(StuckWorkflow workflow) => workflow switch
    {
        StuckWorkflow.Missing => "does not exist",
        StuckWorkflow.Failed => "failed",
        _ => "was terminated",
    };
}
