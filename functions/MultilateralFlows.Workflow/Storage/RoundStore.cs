using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using MultilateralFlows.Http;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Storage;

/// <summary>
/// A round's own rows in its partition of the Rounds table: the round row (where the round stands) and its items.
/// Every change to the round row is followed by the round's entry in <see cref="RoundIndexStore"/>, which the list of
/// rounds reads instead of every round's partition.
/// A round is written with its items and its first audit entry in one transaction: it is stored whole or not at all.
/// </summary>
public sealed class RoundStore(WorkflowStorage storage, RoundIndexStore index, AuditLog audit, TimeProvider time) : IDisposable
{
    /// <summary>
    /// A round's items as read: they are written once, with the round, and never change, so every reply need not read
    /// them again. Bounded by the characters held.
    /// </summary>
    readonly MemoryCache itemsRead = new(new MemoryCacheOptions { SizeLimit = 32_000_000 });

    TableClient Table => storage.Rounds;

    public async Task CreateAsync(RoundDefinition definition, string actor, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var round = new RoundRow
        {
            PartitionKey = definition.Id,
            Procedure = definition.Procedure.ToString(),
            Title = definition.Title,
            Organisation = definition.Organisation,
            Kind = definition.Kind.ToString(),
            Deadline = definition.Deadline,
            SilenceProcedure = definition.SilenceProcedure,
            CoordinatorEmail = definition.CoordinatorEmail,
            Participants = JsonSerializer.Serialize(definition.Participants),
            FlemishPolicyAreas = JsonSerializer.Serialize(definition.FlemishPolicyAreas),
            ItemCount = definition.Items.Count,
            CreatedAt = definition.CreatedAt,
            Phase = nameof(RoundPhase.Collecting),
            ParentRoundId = definition.ParentRoundId,
            PermanentRepresentation = definition.PermanentRepresentation is { Count: > 0 } addresses
                ? JsonSerializer.Serialize(addresses, WorkflowJson.Options)
                : null,
            SoiaCoordinatorEmail = definition.SoiaCoordinatorEmail,
            CoordinatorLanguage = definition.CoordinatorLanguage,
            IndexKey = RoundIndexRow.KeyFor(definition.CreatedAt, definition.Id),
        };

        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, round) };
        actions.AddRange(definition.Items.Select((item, index) => new TableTransactionAction(
            TableTransactionActionType.Add,
            new ItemRow
            {
                PartitionKey = definition.Id, RowKey = RowKeys.Item(index), Index = index, ItemId = item.Id, Title = item.Title, Text = item.Text,
                Competence = item.Competence.ToString(), LeadEntity = item.LeadEntity,
            })));
        var created = $"{definition.Procedure} round '{definition.Title}' with {definition.Participants.Count} participant(s), "
            + $"deadline {definition.Deadline:O}";
        actions.Add(new(TableTransactionActionType.Add, audit.NewEntry(definition.Id, "RoundCreated", actor, created)));
        await Table.SubmitTransactionAsync(actions, cancellationToken);
        await index.UpsertAsync(round, cancellationToken);
    }

    public async Task<RoundRecord?> GetAsync(string roundId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);

        // Both at once: every request that reads a round waits for the slower of two reads, not for both.
        var reading = GetRowAsync(roundId, cancellationToken);
        var items = GetItemsAsync(roundId, cancellationToken);
        await Task.WhenAll(reading, items);
        return await reading is { } round ? ToRecord(round, await items) : null;
    }

    /// <summary>The round row as stored, with its ETag, for a caller that changes it under that ETag.</summary>
    public Task<RoundRow?> GetRowAsync(string roundId, CancellationToken cancellationToken) =>
        Table.GetRowAsync<RoundRow>(roundId, RowKeys.Round, cancellationToken);

    /// <summary>Changes the round row under optimistic concurrency and keeps the list of rounds in step.</summary>
    public async Task UpdateAsync(string roundId, Action<RoundRow> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var round = await GetRowAsync(roundId, cancellationToken) ?? throw new InvalidOperationException($"Round {roundId} is not stored.");
            change(round);
            try
            {
                await Table.UpdateEntityAsync(round, round.ETag, TableUpdateMode.Replace, cancellationToken);
                await index.UpsertAsync(round, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < RoundPartition.MaxOptimisticAttempts)
            {
            }
        }
    }

    public Task SetPhaseAsync(string roundId, RoundPhase phase, int? positionVersion, CancellationToken cancellationToken) =>
        UpdateAsync(roundId, round =>
        {
            round.Phase = phase.ToString();
            if (positionVersion is { } version)
            {
                round.PositionVersion = version;
            }
        }, cancellationToken);

    /// <summary>
    /// Records on the round row that the round is stuck, with its audit entry, in one transaction guarded by the row's
    /// ETag as the caller read it: of any number of checks that find the round at the same time (both hosts' timers), one
    /// records it. False when the row changed since it was read (another check recorded it first).
    /// </summary>
    public Task<bool> MarkStuckAsync(RoundRow round, string workflow, string detail, CancellationToken cancellationToken)
    {
        round.StuckSince = time.GetUtcNow();
        round.StuckWorkflow = workflow;
        return ReplaceWithAuditAsync(round, "RoundStuck", detail, cancellationToken);
    }

    /// <summary>The round's workflow runs again: the round is no longer listed as stuck. False when the row changed since it was read.</summary>
    public Task<bool> ClearStuckAsync(RoundRow round, string detail, CancellationToken cancellationToken)
    {
        round.StuckSince = null;
        round.StuckWorkflow = null;
        return ReplaceWithAuditAsync(round, "RoundRunningAgain", detail, cancellationToken);
    }

    async Task<bool> ReplaceWithAuditAsync(RoundRow round, string action, string detail, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.UpdateReplace, round, round.ETag),
                    new(TableTransactionActionType.Add, audit.NewEntry(round.PartitionKey, action, "watchdog", detail)),
                ],
                cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }

        await index.UpsertAsync(round, cancellationToken);
        return true;
    }

    async Task<IReadOnlyList<ItemRow>> GetItemsAsync(string roundId, CancellationToken cancellationToken)
    {
        if (itemsRead.TryGetValue(roundId, out IReadOnlyList<ItemRow>? known))
        {
            return known!;
        }

        var items = await Table.QueryPrefixAsync<ItemRow>(roundId, RowKeys.ItemPrefix, cancellationToken);
        // None means no round (yet): nothing to keep.
        if (items.Count > 0)
        {
            var size = 1 + items.Sum(i => i.ItemId.Length + i.Title.Length + i.Text.Length);
            itemsRead.Set(roundId, items, new MemoryCacheEntryOptions { Size = size, SlidingExpiration = TimeSpan.FromHours(1) });
        }

        return items;
    }

    public void Dispose() => itemsRead.Dispose();

    /// <summary>An item row as its item; a row stored before competences has none, and means everyone (Mixed), as it did.</summary>
    static AgendaItem ToItem(ItemRow row) => new(
        row.ItemId,
        row.Title,
        row.Text,
        Enum.TryParse<Competence>(row.Competence, out var competence) ? competence : Competence.Mixed,
        string.IsNullOrEmpty(row.LeadEntity) ? null : row.LeadEntity);

    static RoundRecord ToRecord(RoundRow round, IEnumerable<ItemRow> items)
    {
        var definition = new RoundDefinition(
            round.PartitionKey,
            Enum.Parse<Procedure>(round.Procedure),
            round.Title,
            round.Organisation,
            Enum.Parse<MeetingKind>(round.Kind),
            items.OrderBy(i => i.Index).Select(ToItem).ToList(),
            JsonSerializer.Deserialize<List<string>>(round.Participants) ?? [],
            JsonSerializer.Deserialize<List<string>>(round.FlemishPolicyAreas) ?? [],
            round.Deadline,
            round.SilenceProcedure,
            round.CoordinatorEmail,
            round.CreatedAt,
            round.ParentRoundId,
            string.IsNullOrEmpty(round.PermanentRepresentation)
                ? []
                : JsonSerializer.Deserialize<List<RepresentationAddress>>(round.PermanentRepresentation, WorkflowJson.Options) ?? [],
            round.SoiaCoordinatorEmail,
            round.CoordinatorLanguage);
        var openItems = string.IsNullOrEmpty(round.OpenItems) ? [] : JsonSerializer.Deserialize<List<string>>(round.OpenItems) ?? [];
        return new RoundRecord(
            definition,
            Enum.Parse<RoundPhase>(round.Phase),
            Math.Max(1, round.Iteration),
            openItems,
            round.CollectionClosedAt,
            round.PositionVersion,
            round.IterationOpenedAt);
    }
}
