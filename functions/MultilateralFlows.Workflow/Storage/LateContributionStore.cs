using Azure;
using Azure.Data.Tables;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Storage;

/// <summary>What the coordinator decided about a late contribution.</summary>
public enum LateDecision
{
    Accepted,
    Declined,
}

/// <summary>
/// A contribution that came after the round's replies had closed (Flanders' position from a linked SOIA round approved
/// too late), kept in the round's partition until its coordinator accepts or declines it: one header row per participant
/// and one row per item answered, as a contribution would have them.
/// </summary>
public sealed class LateContributionRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Participant { get; set; } = "";

    /// <summary>Where it comes from: the linked SOIA round, and the version of its final position.</summary>
    public string FromRoundId { get; set; } = "";

    public int FromVersion { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public int ItemCount { get; set; }

    /// <summary><see cref="LateDecision"/>, or null while it waits for the coordinator.</summary>
    public string? Decision { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }

    /// <summary>Once accepted: the contribution version it became.</summary>
    public int? AcceptedVersion { get; set; }

    public bool Pending => Decision is null;
}

/// <summary>What became of accepting a late contribution.</summary>
public enum LateAcceptOutcome
{
    /// <summary>Stored as the participant's next contribution version.</summary>
    Accepted,

    /// <summary>Someone else decided or replied at the same moment: nothing was stored; look again.</summary>
    Conflict,
}

/// <summary>
/// Late contributions: held when they arrive (<see cref="HoldAsync"/>, idempotent: the same contribution held again
/// changes nothing) and, when the coordinator accepts one, stored as the participant's next contribution version in the
/// same transaction that records the decision, so an acceptance sent twice stores it once.
/// </summary>
public sealed class LateContributionStore(WorkflowStorage storage, RequestStore requests, AuditLog audit, TimeProvider time)
{
    TableClient Table => storage.Rounds;

    public Task<LateContributionRow?> GetAsync(string roundId, string participant, CancellationToken cancellationToken) =>
        Table.GetRowAsync<LateContributionRow>(roundId, RowKeys.Late(participant), cancellationToken);

    /// <summary>
    /// Keeps <paramref name="replies"/> from <paramref name="fromRoundId"/>'s position <paramref name="fromVersion"/> for
    /// the coordinator of <paramref name="round"/>. False when that very contribution is held (or was decided on) already.
    /// A later one from elsewhere (another linked round) takes the place of one still pending.
    /// </summary>
    public async Task<bool> HoldAsync(
        RoundRecord round,
        string participant,
        IReadOnlyList<ItemReply> replies,
        string fromRoundId,
        int fromVersion,
        CancellationToken cancellationToken)
    {
        var roundId = round.Definition.Id;
        var existing = await GetAsync(roundId, participant, cancellationToken);
        if (existing is not null && existing.FromRoundId == fromRoundId && existing.FromVersion == fromVersion)
        {
            return false;
        }

        var itemIndex = ItemIndex(round);
        var now = time.GetUtcNow();
        var header = new LateContributionRow
        {
            PartitionKey = roundId,
            RowKey = RowKeys.Late(participant),
            Participant = participant,
            FromRoundId = fromRoundId,
            FromVersion = fromVersion,
            ReceivedAt = now,
            ItemCount = replies.Count,
        };
        var items = replies
            .Select(reply => ContributionRow.From(roundId, RowKeys.LateItem(participant, itemIndex[reply.ItemId]), participant, 0, reply, now))
            .ToList();
        var stale = existing is null
            ? []
            : (await Table.QueryPrefixAsync<ContributionRow>(roundId, RowKeys.LateItemsOf(participant), cancellationToken))
                .Where(old => items.All(item => item.RowKey != old.RowKey))
                .ToList();

        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpsertReplace, header) };
        actions.AddRange(items.Select(item => new TableTransactionAction(TableTransactionActionType.UpsertReplace, item)));
        actions.AddRange(stale.Select(old => new TableTransactionAction(TableTransactionActionType.Delete, old, ETag.All)));
        actions.Add(new(TableTransactionActionType.Add, audit.NewEntry(
            roundId, "LateContributionHeld", "workflow",
            $"{participant}'s contribution from round {fromRoundId} (position version {fromVersion}) came after replies closed; "
            + "it is held for the coordinator to accept or decline while the draft is in review.")));
        await Table.SubmitTransactionAsync(actions, cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores the held contribution as the participant's next version and records the decision, in one transaction under
    /// both rows' ETags (the request row's orders it against replies; the held row's against another decision).
    /// </summary>
    public async Task<(LateAcceptOutcome Outcome, int Version)> AcceptAsync(
        RoundRecord round, LateContributionRow held, string actor, CancellationToken cancellationToken)
    {
        var roundId = round.Definition.Id;
        var participant = held.Participant;
        var request = await requests.GetAsync(roundId, participant, cancellationToken)
            ?? throw new InvalidOperationException($"Round {roundId} has no request for {participant}.");
        var items = await Table.QueryPrefixAsync<ContributionRow>(roundId, RowKeys.LateItemsOf(participant), cancellationToken);
        var itemIndex = ItemIndex(round);
        var now = time.GetUtcNow();
        var version = request.LatestVersion + 1;

        var update = request.RepliedAs(version, now);
        var decision = new TableEntity(roundId, held.RowKey)
        {
            [nameof(LateContributionRow.Decision)] = nameof(LateDecision.Accepted),
            [nameof(LateContributionRow.DecidedAt)] = now,
            [nameof(LateContributionRow.DecidedBy)] = actor,
            [nameof(LateContributionRow.AcceptedVersion)] = version,
        };
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, update, request.ETag),
            new(TableTransactionActionType.UpdateMerge, decision, held.ETag),
        };
        actions.AddRange(items.Select(item => new TableTransactionAction(
            TableTransactionActionType.Add,
            ContributionRow.From(
                roundId, RowKeys.Contribution(participant, version, itemIndex[item.ItemId]), participant, version, item.ToItemReply(), now))));
        actions.Add(new(TableTransactionActionType.Add, audit.NewEntry(
            roundId, "LateContributionAccepted", actor,
            $"{participant}'s late contribution from round {held.FromRoundId} accepted as version {version}.")));
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return (LateAcceptOutcome.Accepted, version);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return (LateAcceptOutcome.Conflict, 0);
        }
    }

    /// <summary>Records that the coordinator declined it, under the held row's ETag. False when it was decided meanwhile.</summary>
    public async Task<bool> DeclineAsync(string roundId, LateContributionRow held, string actor, CancellationToken cancellationToken)
    {
        var decision = new TableEntity(roundId, held.RowKey)
        {
            [nameof(LateContributionRow.Decision)] = nameof(LateDecision.Declined),
            [nameof(LateContributionRow.DecidedAt)] = time.GetUtcNow(),
            [nameof(LateContributionRow.DecidedBy)] = actor,
        };
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.UpdateMerge, decision, held.ETag),
                    new(TableTransactionActionType.Add, audit.NewEntry(
                        roundId, "LateContributionDeclined", actor,
                        $"{held.Participant}'s late contribution from round {held.FromRoundId} declined.")),
                ],
                cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Each item's place on the agenda, which its row keys carry.</summary>
    static Dictionary<string, int> ItemIndex(RoundRecord round) =>
        round.Definition.Items.Select((item, index) => (item.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
}
