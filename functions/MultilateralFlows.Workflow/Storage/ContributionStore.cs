using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Storage;

/// <summary>
/// Participants' replies: every version, one contribution row per item, never overwritten. A version is written in
/// one table transaction with the participant's request row (under its ETag, see <see cref="RequestStore"/>) and its
/// audit entry, so a reply is stored whole with its version number, or not at all.
/// </summary>
public sealed class ContributionStore(
    WorkflowStorage storage, RequestStore requests, AuditLog audit, TimeProvider time, IOptions<RoundOptions> options)
{
    /// <summary>The most versions one participant may send in a round (<see cref="RoundOptions.MaxVersionsPerParticipant"/>).</summary>
    public int MaxVersions => options.Value.MaxVersionsPerParticipant;

    TableClient Table => storage.Rounds;

    /// <summary>
    /// Stores a new version of a participant's reply. The request row's ETag makes the version number and the "not
    /// closed yet" check atomic with the write: a concurrent reply or the closing of the round forces a re-read.
    /// </summary>
    public Task<SaveContributionResult> SaveAsync(
        RoundRecord round, string participant, IReadOnlyList<ItemReply> replies, string actor, CancellationToken cancellationToken) =>
        SaveAsync(round, participant, replies, actor, knownRequest: null, cancellationToken);

    /// <param name="round">The round.</param>
    /// <param name="participant">Who replies.</param>
    /// <param name="replies">The complete set of answers of the new version.</param>
    /// <param name="actor">Who submits, for the audit trail.</param>
    /// <param name="knownRequest">
    /// The participant's request row as the caller just read it, if it did: the first attempt uses it (its ETag still guards the write).
    /// </param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task<SaveContributionResult> SaveAsync(
        RoundRecord round,
        string participant,
        IReadOnlyList<ItemReply> replies,
        string actor,
        RequestRow? knownRequest,
        CancellationToken cancellationToken)
    {
        var roundId = round.Definition.Id;
        var itemIndex = round.Definition.Items
            .Select((item, index) => (item.Id, index))
            .ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var request = attempt == 1 && knownRequest?.Participant == participant
                ? knownRequest
                : await requests.GetAsync(roundId, participant, cancellationToken);
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
            var update = request.RepliedAs(version, now);
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, update, request.ETag) };
            actions.AddRange(replies.Select(reply => new TableTransactionAction(
                TableTransactionActionType.Add,
                ContributionRow.From(
                    roundId, RowKeys.Contribution(participant, version, itemIndex[reply.ItemId]), participant, version, reply, now))));
            var action = version == 1 ? "ReplyReceived" : "ReplyAmended";
            actions.Add(new(TableTransactionActionType.Add, audit.NewEntry(roundId, action, actor, $"{participant} version {version}")));

            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return new(SaveOutcome.Saved, version, now);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Someone else wrote this participant's request row first (another reply, or the round closing): read
                // again, after a short random pause so that replies sent at the same moment do not collide again.
                if (attempt >= RoundPartition.MaxOptimisticAttempts)
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
        var versions = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(
            RoundPartition.PrefixFilter(roundId, RowKeys.ContributionPrefix),
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
    public async Task<IReadOnlyList<Contribution>> GetLatestAsync(string roundId, CancellationToken cancellationToken)
    {
        var rows = await Table.QueryPrefixAsync<ContributionRow>(roundId, RowKeys.ContributionPrefix, cancellationToken);
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
    public async Task<Contribution?> GetAsync(string roundId, string participant, int version, CancellationToken cancellationToken)
    {
        var rows = await Table.QueryPrefixAsync<ContributionRow>(roundId, RowKeys.ContributionVersion(participant, version), cancellationToken);
        return rows.Count == 0 ? null : ToContribution(participant, version, rows);
    }

    /// <summary>Every version a participant submitted, oldest first.</summary>
    public async Task<IReadOnlyList<Contribution>> GetHistoryAsync(string roundId, string participant, CancellationToken cancellationToken)
    {
        var rows = await Table.QueryPrefixAsync<ContributionRow>(roundId, RowKeys.ContributionsOf(participant), cancellationToken);
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
}
