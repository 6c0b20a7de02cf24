using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Storage;

/// <summary>
/// The list of rounds: one row per round in the RoundIndex table with what the list shows and filters on, newest
/// first, so that listing rounds never visits every round's partition. <see cref="RoundStore"/> keeps it in step.
/// </summary>
public sealed class RoundIndexStore(WorkflowStorage storage)
{
    /// <summary>Writes the round's entry in the list of rounds; called whenever what the list shows changes.</summary>
    public async Task UpsertAsync(RoundRow round, CancellationToken cancellationToken)
    {
        var entry = new RoundIndexRow
        {
            RowKey = round.IndexKey,
            RoundId = round.PartitionKey,
            Procedure = round.Procedure,
            Title = round.Title,
            Organisation = round.Organisation,
            Kind = round.Kind,
            Phase = round.Phase,
            Deadline = round.Deadline,
            CreatedAt = round.CreatedAt,
            ParentRoundId = round.ParentRoundId,
            Iteration = Math.Max(1, round.Iteration),
            StuckSince = round.StuckSince,
            StuckWorkflow = round.StuckWorkflow,
        };
        await storage.RoundIndex.UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Rounds newest first, filtered on phase, procedure and organisation, a page at a time.</summary>
    public async Task<(IReadOnlyList<RoundIndexRow> Rounds, string? ContinuationToken)> ListAsync(
        RoundFilter filter, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var conditions = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {RoundIndexRow.Partition}") };
        if (filter.Phase is { } phase)
        {
            conditions.Add(TableClient.CreateQueryFilter($"Phase eq {phase.ToString()}"));
        }

        if (filter.Procedure is { } procedure)
        {
            conditions.Add(TableClient.CreateQueryFilter($"Procedure eq {procedure.ToString()}"));
        }

        if (!string.IsNullOrWhiteSpace(filter.Organisation))
        {
            conditions.Add(TableClient.CreateQueryFilter($"Organisation eq {filter.Organisation}"));
        }

        var pages = storage.RoundIndex
            .QueryAsync<RoundIndexRow>(string.Join(" and ", conditions), filter.Top, cancellationToken: cancellationToken)
            .AsPages(filter.ContinuationToken, filter.Top);
        await foreach (var page in pages)
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>
    /// The rounds whose phase says they are open (collecting or reviewing), created no later than <paramref name="createdBefore"/>.
    /// </summary>
    public async IAsyncEnumerable<RoundIndexRow> ListOpenAsync(
        DateTimeOffset createdBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var (collecting, reviewing) = (nameof(RoundPhase.Collecting), nameof(RoundPhase.Reviewing));
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {RoundIndexRow.Partition} and (Phase eq {collecting} or Phase eq {reviewing}) and CreatedAt le {createdBefore}");
        await foreach (var row in storage.RoundIndex.QueryAsync<RoundIndexRow>(filter, cancellationToken: cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>The open rounds the watchdog last found stuck, newest first.</summary>
    public async Task<IReadOnlyList<RoundIndexRow>> ListStuckAsync(CancellationToken cancellationToken)
    {
        // Filtered here rather than in the query: a filter on a property most rows lack is where table services differ.
        var stuck = new List<RoundIndexRow>();
        await foreach (var row in ListOpenAsync(DateTimeOffset.MaxValue, cancellationToken))
        {
            if (row.StuckSince is not null)
            {
                stuck.Add(row);
            }
        }

        return stuck;
    }
}
