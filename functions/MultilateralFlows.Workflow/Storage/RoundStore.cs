using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Storage;

/// <summary>
/// Reads and writes a round's partition of the Rounds table. Writes that belong together go in one table
/// transaction: a reply's rows with the participant's request row (guarded by its ETag, so a reply and the closing of
/// the round can never both win), a round with its items.
/// </summary>
public sealed class RoundStore(WorkflowStorage storage, TimeProvider time, IOptions<RoundOptions> options) : IDisposable
{
    /// <summary>The most versions one participant may send in a round (<see cref="RoundOptions.MaxVersionsPerParticipant"/>).</summary>
    public int MaxVersions => options.Value.MaxVersionsPerParticipant;

    const int MaxTransactionSize = 100;
    const int MaxOptimisticAttempts = 8;

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
            IndexKey = RoundIndexRow.KeyFor(definition.CreatedAt, definition.Id),
        };

        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, round) };
        actions.AddRange(definition.Items.Select((item, index) => new TableTransactionAction(
            TableTransactionActionType.Add,
            new ItemRow { PartitionKey = definition.Id, RowKey = RowKeys.Item(index), Index = index, ItemId = item.Id, Title = item.Title, Text = item.Text })));
        actions.Add(new(TableTransactionActionType.Add, NewAudit(definition.Id, "RoundCreated", actor, $"{definition.Procedure} round '{definition.Title}' with {definition.Participants.Count} participant(s), deadline {definition.Deadline:O}")));
        await Table.SubmitTransactionAsync(actions, cancellationToken);
        await UpsertIndexAsync(round, cancellationToken);
    }

    /// <summary>Writes the round's entry in the list of rounds; called whenever what the list shows changes.</summary>
    public async Task UpsertIndexAsync(RoundRow round, CancellationToken cancellationToken)
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
    public async Task<(IReadOnlyList<RoundIndexRow> Rounds, string? ContinuationToken)> ListAsync(RoundFilter filter, CancellationToken cancellationToken)
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

        var pages = storage.RoundIndex.QueryAsync<RoundIndexRow>(string.Join(" and ", conditions), filter.Top, cancellationToken: cancellationToken)
            .AsPages(filter.ContinuationToken, filter.Top);
        await foreach (var page in pages)
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>The rounds whose phase says they are open (collecting or reviewing), created no later than <paramref name="createdBefore"/>.</summary>
    public async IAsyncEnumerable<RoundIndexRow> ListOpenAsync(DateTimeOffset createdBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {RoundIndexRow.Partition} and (Phase eq {nameof(RoundPhase.Collecting)} or Phase eq {nameof(RoundPhase.Reviewing)}) and CreatedAt le {createdBefore}");
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
                [new(TableTransactionActionType.UpdateReplace, round, round.ETag), new(TableTransactionActionType.Add, NewAudit(round.PartitionKey, action, "watchdog", detail))],
                cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }

        await UpsertIndexAsync(round, cancellationToken);
        return true;
    }

    /// <summary>Changes the round row under optimistic concurrency and keeps the list of rounds in step.</summary>
    public async Task UpdateRoundAsync(string roundId, Action<RoundRow> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var round = await GetRowAsync<RoundRow>(roundId, RowKeys.Round, cancellationToken)
                ?? throw new InvalidOperationException($"Round {roundId} is not stored.");
            change(round);
            try
            {
                await Table.UpdateEntityAsync(round, round.ETag, TableUpdateMode.Replace, cancellationToken);
                await UpsertIndexAsync(round, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxOptimisticAttempts)
            {
            }
        }
    }

    public async Task<RoundRecord?> GetAsync(string roundId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);

        // Both at once: every request that reads a round waits for the slower of two reads, not for both.
        var reading = GetRowAsync<RoundRow>(roundId, RowKeys.Round, cancellationToken);
        var items = GetItemsAsync(roundId, cancellationToken);
        await Task.WhenAll(reading, items);
        return await reading is { } round ? ToRecord(round, await items) : null;
    }

    async Task<IReadOnlyList<ItemRow>> GetItemsAsync(string roundId, CancellationToken cancellationToken)
    {
        if (itemsRead.TryGetValue(roundId, out IReadOnlyList<ItemRow>? known))
        {
            return known!;
        }

        var items = await QueryPrefixAsync<ItemRow>(roundId, RowKeys.ItemPrefix, cancellationToken);
        // None means no round (yet): nothing to keep.
        if (items.Count > 0)
        {
            var size = 1 + items.Sum(i => i.ItemId.Length + i.Title.Length + i.Text.Length);
            itemsRead.Set(roundId, items, new MemoryCacheEntryOptions { Size = size, SlidingExpiration = TimeSpan.FromHours(1) });
        }

        return items;
    }

    public void Dispose() => itemsRead.Dispose();

    public async Task<IReadOnlyList<RequestRow>> GetRequestsAsync(string roundId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        return await QueryPrefixAsync<RequestRow>(roundId, RowKeys.RequestPrefix, cancellationToken);
    }

    public Task<RequestRow?> GetRequestAsync(string roundId, string participant, CancellationToken cancellationToken) =>
        GetRowAsync<RequestRow>(roundId, RowKeys.Request(participant), cancellationToken);

    /// <summary>Adds the request rows that are not there yet; rows already there (a retried activity) are kept as they are.</summary>
    public async Task AddMissingRequestsAsync(string roundId, IReadOnlyList<RequestRow> requests, CancellationToken cancellationToken)
    {
        var existing = (await GetRequestsAsync(roundId, cancellationToken)).Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        var missing = requests.Where(r => !existing.Contains(r.RowKey)).ToList();
        foreach (var chunk in missing.Chunk(MaxTransactionSize))
        {
            await Table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), cancellationToken);
        }
    }

    /// <summary>
    /// Stores a new version of a participant's reply. The request row's ETag makes the version number and the "not
    /// closed yet" check atomic with the write: a concurrent reply or the closing of the round forces a re-read.
    /// </summary>
    public Task<SaveContributionResult> SaveContributionAsync(
        RoundRecord round, string participant, IReadOnlyList<ItemReply> replies, string actor, CancellationToken cancellationToken) =>
        SaveContributionAsync(round, participant, replies, actor, knownRequest: null, cancellationToken);

    /// <param name="round">The round.</param>
    /// <param name="participant">Who replies.</param>
    /// <param name="replies">The complete set of answers of the new version.</param>
    /// <param name="actor">Who submits, for the audit trail.</param>
    /// <param name="knownRequest">The participant's request row as the caller just read it, if it did: the first attempt uses it (its ETag still guards the write).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task<SaveContributionResult> SaveContributionAsync(
        RoundRecord round, string participant, IReadOnlyList<ItemReply> replies, string actor, RequestRow? knownRequest, CancellationToken cancellationToken)
    {
        var roundId = round.Definition.Id;
        var itemIndex = round.Definition.Items.Select((item, index) => (item.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var request = attempt == 1 && knownRequest?.Participant == participant ? knownRequest : await GetRequestAsync(roundId, participant, cancellationToken);
            if (request is null)
            {
                return new(SaveOutcome.UnknownRequest, 0, default);
            }

            if (request.Closed)
            {
                return new(SaveOutcome.Closed, request.LatestVersion, default);
            }

            if (request.LatestVersion >= MaxVersions)
            {
                return new(SaveOutcome.TooManyVersions, request.LatestVersion, default);
            }

            var now = time.GetUtcNow();
            var version = request.LatestVersion + 1;
            var update = new TableEntity(roundId, request.RowKey)
            {
                [nameof(RequestRow.LatestVersion)] = version,
                [nameof(RequestRow.FirstRepliedAt)] = request.FirstRepliedAt ?? now,
                [nameof(RequestRow.LastRepliedAt)] = now,
            };
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, update, request.ETag) };
            actions.AddRange(replies.Select(reply => new TableTransactionAction(
                TableTransactionActionType.Add,
                ContributionRow.From(roundId, RowKeys.Contribution(participant, version, itemIndex[reply.ItemId]), participant, version, reply, now))));
            actions.Add(new(TableTransactionActionType.Add, NewAudit(roundId, version == 1 ? "ReplyReceived" : "ReplyAmended", actor, $"{participant} version {version}")));

            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return new(SaveOutcome.Saved, version, now);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Someone else wrote this participant's request row first (another reply, or the round closing): read
                // again, after a short random pause so that replies sent at the same moment do not collide again.
                if (attempt >= MaxOptimisticAttempts)
                {
                    throw new ContributionConflictException(roundId, participant, e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    /// <summary>Every contribution version stored, per participant (only the keys are read, not the answers).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlySet<int>>> GetStoredVersionsAsync(string roundId, CancellationToken cancellationToken)
    {
        var upper = RowKeys.UpperBound(RowKeys.ContributionPrefix);
        var versions = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {roundId} and RowKey ge {RowKeys.ContributionPrefix} and RowKey lt {upper}"),
            select: [nameof(ContributionRow.Participant), nameof(ContributionRow.Version)],
            cancellationToken: cancellationToken))
        {
            var participant = row.GetString(nameof(ContributionRow.Participant));
            if (!versions.TryGetValue(participant, out var set))
            {
                versions[participant] = set = [];
            }

            set.Add(row.GetInt32(nameof(ContributionRow.Version)) ?? 0);
        }

        return versions.ToDictionary(p => p.Key, p => (IReadOnlySet<int>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The latest version of every participant's contribution, with the items in agenda order.</summary>
    public async Task<IReadOnlyList<Contribution>> GetLatestContributionsAsync(string roundId, CancellationToken cancellationToken)
    {
        var rows = await QueryPrefixAsync<ContributionRow>(roundId, RowKeys.ContributionPrefix, cancellationToken);
        return rows
            .GroupBy(r => r.Participant, StringComparer.Ordinal)
            .Select(byParticipant =>
            {
                var latest = byParticipant.Max(r => r.Version);
                return ToContribution(byParticipant.Key, latest, byParticipant.Where(r => r.Version == latest));
            })
            .OrderBy(c => c.Participant, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One version of a participant's reply (null if there is no such version): its rows alone, however many came before.</summary>
    public async Task<Contribution?> GetContributionAsync(string roundId, string participant, int version, CancellationToken cancellationToken)
    {
        var rows = await QueryPrefixAsync<ContributionRow>(roundId, RowKeys.ContributionVersion(participant, version), cancellationToken);
        return rows.Count == 0 ? null : ToContribution(participant, version, rows);
    }

    /// <summary>Every version a participant submitted, oldest first.</summary>
    public async Task<IReadOnlyList<Contribution>> GetContributionHistoryAsync(string roundId, string participant, CancellationToken cancellationToken)
    {
        var rows = await QueryPrefixAsync<ContributionRow>(roundId, RowKeys.ContributionsOf(participant), cancellationToken);
        return rows
            .GroupBy(r => r.Version)
            .OrderBy(g => g.Key)
            .Select(g => ToContribution(participant, g.Key, g))
            .ToList();
    }

    /// <summary>One version from its rows: the row keys put the items in agenda order; every row has the version's time.</summary>
    static Contribution ToContribution(string participant, int version, IEnumerable<ContributionRow> rows)
    {
        var items = rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        return new Contribution(participant, version, items[0].SubmittedAt, items.Select(r => r.ToItemReply()).ToList());
    }

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
            requests = await GetRequestsAsync(roundId, cancellationToken);
            var open = requests.Where(r => !r.Closed).ToList();
            try
            {
                foreach (var chunk in open.Chunk(MaxTransactionSize))
                {
                    await Table.SubmitTransactionAsync(
                        chunk.Select(r => new TableTransactionAction(
                            TableTransactionActionType.UpdateMerge,
                            new TableEntity(roundId, r.RowKey) { [nameof(RequestRow.Closed)] = true },
                            r.ETag)),
                        cancellationToken);
                }

                break;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < MaxOptimisticAttempts)
            {
                // A reply landed between our read and our write; it counts. Read again and close what is still open.
            }
        }

        await UpdateRoundAsync(roundId, round => round.CollectionClosedAt ??= time.GetUtcNow(), cancellationToken);
        return requests;
    }

    /// <summary>Opens the requests again for the next iteration: the same participants and links, only the given items.</summary>
    public async Task ReopenAsync(string roundId, int iteration, IReadOnlyList<string> items, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await UpdateRoundAsync(roundId, round =>
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

        var closed = (await GetRequestsAsync(roundId, cancellationToken)).Where(r => r.Closed).ToList();
        foreach (var chunk in closed.Chunk(MaxTransactionSize))
        {
            await Table.SubmitTransactionAsync(
                chunk.Select(r => new TableTransactionAction(
                    TableTransactionActionType.UpdateMerge,
                    new TableEntity(roundId, r.RowKey) { [nameof(RequestRow.Closed)] = false })),
                cancellationToken);
        }
    }

    public async Task SetLinkedRoundAsync(string roundId, string participant, string linkedRoundId, CancellationToken cancellationToken) =>
        await Table.UpdateEntityAsync(
            new TableEntity(roundId, RowKeys.Request(participant)) { [nameof(RequestRow.LinkedRoundId)] = linkedRoundId },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);

    public Task SetPhaseAsync(string roundId, RoundPhase phase, int? positionVersion, CancellationToken cancellationToken) =>
        UpdateRoundAsync(roundId, round =>
        {
            round.Phase = phase.ToString();
            if (positionVersion is { } version)
            {
                round.PositionVersion = version;
            }
        }, cancellationToken);

    public async Task AppendAuditAsync(string roundId, string action, string actor, string detail, CancellationToken cancellationToken) =>
        await Table.AddEntityAsync(NewAudit(roundId, action, actor, detail), cancellationToken);

    public Task<IReadOnlyList<AuditRow>> GetAuditAsync(string roundId, CancellationToken cancellationToken) =>
        QueryPrefixAsync<AuditRow>(roundId, RowKeys.AuditPrefix, cancellationToken);

    /// <summary>
    /// An audit detail longer than this is cut (a table property holds 32K characters; the full lists it may name, such
    /// as every participant of a 1,000-participant round, are in the round's own rows).
    /// </summary>
    public const int MaxAuditDetailLength = 8_000;

    AuditRow NewAudit(string roundId, string action, string actor, string detail)
    {
        var now = time.GetUtcNow();
        if (detail.Length > MaxAuditDetailLength)
        {
            var cut = $" … ({detail.Length - MaxAuditDetailLength + 64:N0} more characters)";
            detail = string.Concat(detail.AsSpan(0, MaxAuditDetailLength - 64), cut);
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

    async Task<T?> GetRowAsync<T>(string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await Table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    async Task<IReadOnlyList<T>> QueryPrefixAsync<T>(string roundId, string prefix, CancellationToken cancellationToken)
        where T : class, ITableEntity, new()
    {
        var upper = RowKeys.UpperBound(prefix);
        var rows = new List<T>();
        // A filter string, not a LINQ expression: translating the expression compiles its closure, about a
        // millisecond of processor time per query, on every request that reads a round.
        await foreach (var row in Table.QueryAsync<T>(
            TableClient.CreateQueryFilter($"PartitionKey eq {roundId} and RowKey ge {prefix} and RowKey lt {upper}"),
            cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public Task<RoundRow?> GetRoundRowAsync(string roundId, CancellationToken cancellationToken) =>
        GetRowAsync<RoundRow>(roundId, RowKeys.Round, cancellationToken);

    static RoundRecord ToRecord(RoundRow round, IEnumerable<ItemRow> items)
    {
        var definition = new RoundDefinition(
            round.PartitionKey,
            Enum.Parse<Procedure>(round.Procedure),
            round.Title,
            round.Organisation,
            Enum.Parse<MeetingKind>(round.Kind),
            items.OrderBy(i => i.Index).Select(i => new AgendaItem(i.ItemId, i.Title, i.Text)).ToList(),
            JsonSerializer.Deserialize<List<string>>(round.Participants) ?? [],
            JsonSerializer.Deserialize<List<string>>(round.FlemishPolicyAreas) ?? [],
            round.Deadline,
            round.SilenceProcedure,
            round.CoordinatorEmail,
            round.CreatedAt,
            round.ParentRoundId);
        var openItems = string.IsNullOrEmpty(round.OpenItems) ? [] : JsonSerializer.Deserialize<List<string>>(round.OpenItems) ?? [];
        return new RoundRecord(
            definition, Enum.Parse<RoundPhase>(round.Phase), Math.Max(1, round.Iteration), openItems, round.CollectionClosedAt, round.PositionVersion, round.IterationOpenedAt);
    }
}
