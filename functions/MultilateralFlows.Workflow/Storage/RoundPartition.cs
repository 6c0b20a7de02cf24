using Azure.Data.Tables;

namespace MultilateralFlows.Storage;

/// <summary>
/// How every store of the Rounds table reads a round's partition and bounds its writes, so the stores that share the
/// partition (<see cref="RoundStore"/>, <see cref="RequestStore"/>, <see cref="ContributionStore"/>, <see cref="AuditLog"/>) agree.
/// </summary>
static class RoundPartition
{
    /// <summary>The most actions Table storage takes in one transaction.</summary>
    public const int MaxTransactionSize = 100;

    /// <summary>How often a write under an ETag is tried again after another writer changed the row first.</summary>
    public const int MaxOptimisticAttempts = 8;

    public static async Task<T?> GetRowAsync<T>(this TableClient table, string roundId, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(roundId, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// A filter string, not a LINQ expression: translating the expression compiles its closure, about a millisecond of
    /// processor time per query, on every request that reads a round.
    /// </summary>
    public static string PrefixFilter(string roundId, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {roundId} and RowKey ge {prefix} and RowKey lt {RowKeys.UpperBound(prefix)}");

    /// <summary>The round's rows whose keys start with <paramref name="prefix"/>, in key order.</summary>
    public static async Task<IReadOnlyList<T>> QueryPrefixAsync<T>(
        this TableClient table, string roundId, string prefix, CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        var rows = new List<T>();
        await foreach (var row in table.QueryAsync<T>(PrefixFilter(roundId, prefix), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}
