namespace MultilateralFlows.Storage;

/// <summary>
/// A round's audit trail: append-only rows in the round's partition, so that what happened to a round can be told
/// after the fact. An entry that belongs with other writes (a round created, a reply stored, a round found stuck) is
/// made by <see cref="NewEntry"/> and goes into that write's transaction: it is there if and only if the write is.
/// </summary>
public sealed class AuditLog(WorkflowStorage storage, TimeProvider time)
{
    /// <summary>
    /// An audit detail longer than this is cut (a table property holds 32K characters; the full lists it may name, such
    /// as every participant of a 1,000-participant round, are in the round's own rows).
    /// </summary>
    public const int MaxDetailLength = 8_000;

    public async Task AppendAsync(string roundId, string action, string actor, string detail, CancellationToken cancellationToken) =>
        await storage.Rounds.AddEntityAsync(NewEntry(roundId, action, actor, detail), cancellationToken);

    /// <summary>The round's trail, oldest first.</summary>
    public Task<IReadOnlyList<AuditRow>> GetAsync(string roundId, CancellationToken cancellationToken) =>
        storage.Rounds.QueryPrefixAsync<AuditRow>(roundId, RowKeys.AuditPrefix, cancellationToken);

    internal AuditRow NewEntry(string roundId, string action, string actor, string detail)
    {
        var now = time.GetUtcNow();
        if (detail.Length > MaxDetailLength)
        {
            var cut = $" … ({detail.Length - MaxDetailLength + 64:N0} more characters)";
            detail = string.Concat(detail.AsSpan(0, MaxDetailLength - 64), cut);
        }

        return new AuditRow
        {
            PartitionKey = roundId,
            RowKey = RowKeys.Audit(now),
            At = now,
            Action = action,
            Actor = actor,
            Detail = detail,
        };
    }
}
