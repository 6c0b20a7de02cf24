using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Storage;

/// <summary>
/// The request rows of a round: one per participant, with who it is, where to write, and whether it still takes
/// replies. A request's ETag is what orders a reply against the closing of the round: <see cref="ContributionStore"/>
/// writes a reply under it, <see cref="CloseCollectionAsync"/> closes under it, so the two can never both win.
/// </summary>
public sealed class RequestStore(WorkflowStorage storage, RoundStore rounds, TimeProvider time)
{
    TableClient Table => storage.Rounds;

    /// <summary>Every request of the round, in participant order.</summary>
    public async Task<IReadOnlyList<RequestRow>> ListAsync(string roundId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        return await Table.QueryPrefixAsync<RequestRow>(roundId, RowKeys.RequestPrefix, cancellationToken);
    }

    public Task<RequestRow?> GetAsync(string roundId, string participant, CancellationToken cancellationToken) =>
        Table.GetRowAsync<RequestRow>(roundId, RowKeys.Request(participant), cancellationToken);

    /// <summary>Adds the request rows that are not there yet; rows already there (a retried activity) are kept as they are.</summary>
    public async Task AddMissingAsync(string roundId, IReadOnlyList<RequestRow> requests, CancellationToken cancellationToken)
    {
        var existing = (await ListAsync(roundId, cancellationToken)).Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        var missing = requests.Where(r => !existing.Contains(r.RowKey)).ToList();
        foreach (var chunk in missing.Chunk(RoundPartition.MaxTransactionSize))
        {
            await Table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
        }
    }

    /// <summary>The linked round whose approved position becomes this participant's reply.</summary>
    public async Task SetLinkedRoundAsync(string roundId, string participant, string linkedRoundId, CancellationToken cancellationToken) =>
        await Table.UpdateEntityAsync(
            new TableEntity(roundId, RowKeys.Request(participant)) { [nameof(RequestRow.LinkedRoundId)] = linkedRoundId },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>
    /// Closes every request of the round, so that no reply is accepted from now on, and records the moment. A reply
    /// that commits first is in; one that comes after finds its request closed. Returns the requests as they were
    /// closed: their latest versions are final.
    /// </summary>
    public async Task<IReadOnlyList<RequestRow>> CloseCollectionAsync(string roundId, CancellationToken cancellationToken)
    {
        IReadOnlyList<RequestRow> requests;
        for (var attempt = 1; ; attempt++)
        {
            requests = await ListAsync(roundId, cancellationToken);
            var open = requests.Where(r => !r.Closed).ToList();
            try
            {
                foreach (var chunk in open.Chunk(RoundPartition.MaxTransactionSize))
                {
                    await Table.SubmitTransactionAsync(chunk.Select(r => SetClosed(r, closed: true, r.ETag)), cancellationToken);
                }

                break;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < RoundPartition.MaxOptimisticAttempts)
            {
                // A reply landed between our read and our write; it counts. Read again and close what is still open.
            }
        }

        await rounds.UpdateAsync(roundId, round => round.CollectionClosedAt ??= time.GetUtcNow(), cancellationToken);
        return requests;
    }

    /// <summary>Opens the requests again for the next iteration: the same participants and links, only the given items.</summary>
    public async Task ReopenAsync(
        string roundId, int iteration, IReadOnlyList<string> items, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await rounds.UpdateAsync(roundId, round =>
        {
            if (round.Iteration >= iteration)
            {
                return;
            }

            round.Iteration = iteration;
            round.IterationOpenedAt = time.GetUtcNow();
            round.OpenItems = JsonSerializer.Serialize(items);
            round.Deadline = deadline;
            round.Phase = nameof(RoundPhase.Collecting);
            round.CollectionClosedAt = null;
        }, cancellationToken);

        var closed = (await ListAsync(roundId, cancellationToken)).Where(r => r.Closed).ToList();
        foreach (var chunk in closed.Chunk(RoundPartition.MaxTransactionSize))
        {
            await Table.SubmitTransactionAsync(chunk.Select(r => SetClosed(r, closed: false, ifMatch: default)), cancellationToken);
        }
    }

    /// <summary>A merge of the closed flag alone: whatever else a reply or an e-mail wrote on the row stays.</summary>
    static TableTransactionAction SetClosed(RequestRow request, bool closed, ETag ifMatch) => new(
        TableTransactionActionType.UpdateMerge,
        new TableEntity(request.PartitionKey, request.RowKey) { [nameof(RequestRow.Closed)] = closed },
        ifMatch);
}
