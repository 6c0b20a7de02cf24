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
            CoordinatorAddress = round.CoordinatorEmail.ToLowerInvariant(),
            SoiaCoordinatorAddress = round.SoiaCoordinatorEmail?.ToLowerInvariant(),
        };
        await storage.RoundIndex.UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>How many rows one search reads at most before it answers with what it found and where to go on.</summary>
    public const int MaxRowsSearched = 1_000;

    /// <summary>
    /// Rounds newest first, filtered on phase, procedure, organisation, deadline and coordinator by the table, a page at a
    /// time. A search in titles and organisations is not something a table query can do: the rows the other filters
    /// select are read page by page and matched here, until a page brings the matches to <see cref="RoundFilter.Top"/>
    /// (so a search may answer a few more than that) or <see cref="MaxRowsSearched"/> rows were read; the continuation
    /// goes on after the last page read.
    /// </summary>
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

        if (filter.DeadlineBefore is { } before)
        {
            conditions.Add(TableClient.CreateQueryFilter($"Deadline lt {before}"));
        }

        if (filter.DeadlineFrom is { } from)
        {
            conditions.Add(TableClient.CreateQueryFilter($"Deadline ge {from}"));
        }

        if (!string.IsNullOrWhiteSpace(filter.CoordinatedBy))
        {
            var address = filter.CoordinatedBy.Trim().ToLowerInvariant();
            conditions.Add(TableClient.CreateQueryFilter($"(CoordinatorAddress eq {address} or SoiaCoordinatorAddress eq {address})"));
        }

        var pages = storage.RoundIndex
            .QueryAsync<RoundIndexRow>(string.Join(" and ", conditions), filter.Top, cancellationToken: cancellationToken)
            .AsPages(filter.ContinuationToken, filter.Top);
        if (string.IsNullOrWhiteSpace(filter.Search))
        {
            await foreach (var page in pages)
            {
                return (page.Values, page.ContinuationToken);
            }

            return ([], null);
        }

        var search = filter.Search.Trim();
        var found = new List<RoundIndexRow>();
        var read = 0;
        string? next = null;
        await foreach (var page in pages)
        {
            read += page.Values.Count;
            found.AddRange(page.Values.Where(r =>
                r.Title.Contains(search, StringComparison.OrdinalIgnoreCase) || r.Organisation.Contains(search, StringComparison.OrdinalIgnoreCase)));
            next = page.ContinuationToken;
            if (found.Count >= filter.Top || read >= MaxRowsSearched)
            {
                break;
            }
        }

        return (found, next);
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
