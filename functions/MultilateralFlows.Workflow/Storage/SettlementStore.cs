using Azure;
using Azure.Data.Tables;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Storage;

/// <summary>What became of a settlement sent by the coordinator.</summary>
public enum SettleOutcome
{
    Saved,

    /// <summary>The item already has this very settlement (a request sent again): nothing is written.</summary>
    Unchanged,

    /// <summary>The round is not in review.</summary>
    NotInReview,

    /// <summary>The coordinator's approval was accepted: the position is being made final.</summary>
    ApprovalRequested,
}

public sealed record SettleResult(SettleOutcome Outcome, ItemSettlement? Settlement = null);

/// <summary>
/// The coordinator's settlements of a round's items, one row an item in the round's partition. A settlement is written
/// in one transaction with its audit entry and a touch of the round row under the ETag it was read with, and an
/// accepted approval marks that row (<see cref="RoundRow.ApprovalRequestedAt"/>) under the ETag it checked the
/// settlements with: of a settlement and an approval racing each other, either the settlement is stored before the
/// approval checks, or it is refused as too late; never stored unseen by the approval.
/// </summary>
public sealed class SettlementStore(WorkflowStorage storage, AuditLog audit, TimeProvider time)
{
    TableClient Table => storage.Rounds;

    /// <summary>The round's settlements, by item id.</summary>
    public async Task<IReadOnlyDictionary<string, ItemSettlement>> GetAllAsync(string roundId, CancellationToken cancellationToken)
    {
        var rows = await Table.QueryPrefixAsync<SettlementRow>(roundId, RowKeys.SettlementPrefix, cancellationToken);
        return rows.ToDictionary(r => r.ItemId, r => r.ToSettlement(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Stores the settlement of the item at <paramref name="itemIndex"/>, replacing any earlier one, with its audit entry;
    /// the same settlement sent again changes nothing. Only while the round is in review and no approval was accepted.
    /// </summary>
    public async Task<SettleResult> SaveAsync(
        RoundRecord round,
        int itemIndex,
        SettlementKind how,
        string? text,
        string? leadEntity,
        string? leadEntityName,
        string? comments,
        string actor,
        CancellationToken cancellationToken)
    {
        var roundId = round.Definition.Id;
        var itemId = round.Definition.Items[itemIndex].Id;
        for (var attempt = 1; ; attempt++)
        {
            var row = await Table.GetRowAsync<RoundRow>(roundId, RowKeys.Round, cancellationToken)
                ?? throw new InvalidOperationException($"Round {roundId} is not stored.");
            if (row.ApprovalRequestedAt is not null)
            {
                return new(SettleOutcome.ApprovalRequested);
            }

            if (row.Phase != nameof(RoundPhase.Reviewing))
            {
                return new(SettleOutcome.NotInReview);
            }

            var earlier = await Table.GetRowAsync<SettlementRow>(roundId, RowKeys.Settlement(itemIndex), cancellationToken);
            if (earlier is not null && earlier.Says(how, text, leadEntity, comments))
            {
                return new(SettleOutcome.Unchanged, earlier.ToSettlement());
            }

            // Whole milliseconds: the time reads back the same from the table and from a position's JSON, which an approval compares.
            var now = time.GetUtcNow();
            var settlement = new SettlementRow
            {
                PartitionKey = roundId,
                RowKey = RowKeys.Settlement(itemIndex),
                ItemId = itemId,
                How = how.ToString(),
                Text = text,
                LeadEntity = leadEntity,
                LeadEntityName = leadEntityName,
                Comments = comments,
                SettledAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)),
                DraftVersion = row.PositionVersion,
            };
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        // Changes nothing on the round row but its ETag: an approval that read it before must check again.
                        new(TableTransactionActionType.UpdateMerge, new TableEntity(roundId, RowKeys.Round), row.ETag),
                        new(TableTransactionActionType.UpsertReplace, settlement),
                        new(TableTransactionActionType.Add, audit.NewEntry(roundId, "ItemSettled", actor, Describe(settlement, earlier))),
                    ],
                    cancellationToken);
                return new(SettleOutcome.Saved, settlement.ToSettlement());
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < RoundPartition.MaxOptimisticAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Accepts the approval once <paramref name="refusal"/> finds nothing to refuse in the settlements as stored, and
    /// marks the round row so that no settlement comes after: both under the row's ETag, read before the settlements.
    /// Returns what <paramref name="refusal"/> said, or null when the approval is accepted.
    /// </summary>
    public async Task<string?> AcceptApprovalAsync(
        string roundId, Func<IReadOnlyDictionary<string, ItemSettlement>, string?> refusal, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await Table.GetRowAsync<RoundRow>(roundId, RowKeys.Round, cancellationToken)
                ?? throw new InvalidOperationException($"Round {roundId} is not stored.");
            if (refusal(await GetAllAsync(roundId, cancellationToken)) is { } refused)
            {
                return refused;
            }

            row.ApprovalRequestedAt ??= time.GetUtcNow();
            try
            {
                await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < RoundPartition.MaxOptimisticAttempts)
            {
            }
        }
    }

    static string Describe(SettlementRow settlement, SettlementRow? earlier)
    {
        var detail = $"Item {settlement.ItemId} settled on draft version {settlement.DraftVersion}: {settlement.How}";
        detail += settlement.LeadEntity is null ? "" : $", lead {settlement.LeadEntity}";
        detail += earlier is null ? "" : $" (replacing {earlier.How} of {earlier.SettledAt:O})";
        detail += settlement.Text is null ? "." : $". Text: {settlement.Text}";
        return settlement.Comments is null ? detail : $"{detail} Comments: {settlement.Comments}";
    }
}
