using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Http;

namespace MultilateralFlows.Storage;

/// <summary>Row keys of a round's partition in the Rounds table; the prefixes keep each kind of row together.</summary>
static class RowKeys
{
    public const string Round = "round";
    public const string ItemPrefix = "item|";
    public const string RequestPrefix = "request|";
    public const string ContributionPrefix = "contribution|";
    public const string EmailPrefix = "email|";
    public const string EventPrefix = "event|";
    public const string AuditPrefix = "audit|";
    public const string LatePrefix = "late|";
    public const string SettlementPrefix = "settlement|";

    public static string Item(int index) => $"{ItemPrefix}{index:D3}";

    public static string Request(string participant) => RequestPrefix + participant;

    /// <summary>The coordinator's settlement of an item, by the item's place in the round: one row an item, replaced when settled again.</summary>
    public static string Settlement(int itemIndex) => $"{SettlementPrefix}{itemIndex:D3}";

    public static string ContributionsOf(string participant) => $"{ContributionPrefix}{participant}|";

    public static string ContributionVersion(string participant, int version) => $"{ContributionsOf(participant)}{version:D4}|";

    public static string Contribution(string participant, int version, int itemIndex) => $"{ContributionVersion(participant, version)}{itemIndex:D3}";

    /// <summary>A contribution that came after replies closed, held for the coordinator's decision (see <see cref="LateContributionRow"/>).</summary>
    public static string Late(string participant) => LatePrefix + participant;

    public static string LateItemsOf(string participant) => $"{LatePrefix}{participant}|item|";

    public static string LateItem(string participant, int itemIndex) => $"{LateItemsOf(participant)}{itemIndex:D3}";

    /// <summary>The prefix of every ledger row of one participant: messages to it, and notices about it.</summary>
    public static string EmailsOf(string participant) => $"{EmailPrefix}{participant}|";

    public static string Email(EmailKey key) => $"{EmailsOf(key.Participant)}{key.Label}|{key.MessageNumber:D3}";

    /// <summary>A delivery event, by a hash of SendGrid's <c>sg_event_id</c> (which may hold characters row keys cannot).</summary>
    public static string Event(string eventIdHash) => EventPrefix + eventIdHash;

    /// <summary>An audit row: time-ordered, unique even for two entries in the same tick.</summary>
    public static string Audit(DateTimeOffset at) => $"{AuditPrefix}{at.UtcTicks:D19}|{Guid.NewGuid():N}";

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> ('|' + 1 is '}').</summary>
    public static string UpperBound(string prefix) => prefix[..^1] + "}";
}

/// <summary>The round itself: what the coordinator asked for, and where it stands.</summary>
public sealed class RoundRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = RowKeys.Round;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Procedure { get; set; } = "";
    public string Title { get; set; } = "";
    public string Organisation { get; set; } = "";
    public string Kind { get; set; } = "";
    public DateTimeOffset Deadline { get; set; }
    public bool SilenceProcedure { get; set; }
    public string CoordinatorEmail { get; set; } = "";
    public string Participants { get; set; } = "";
    public string FlemishPolicyAreas { get; set; } = "";
    public int ItemCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string Phase { get; set; } = "";
    public DateTimeOffset? CollectionClosedAt { get; set; }
    public int PositionVersion { get; set; }

    /// <summary>1, then one more each time the coordinator reopens the divergent items.</summary>
    public int Iteration { get; set; } = 1;

    /// <summary>When the current iteration was opened by a reopen (null in the first).</summary>
    public DateTimeOffset? IterationOpenedAt { get; set; }

    /// <summary>JSON list of the item ids open in this iteration; empty means every item.</summary>
    public string OpenItems { get; set; } = "";

    /// <summary>For a linked SOIA round: the COORMULTI round its position goes to.</summary>
    public string? ParentRoundId { get; set; }

    /// <summary>
    /// The addresses named for the permanent representation (<see cref="Rounds.RepresentationAddress"/>), as JSON; null in
    /// rounds stored before there was this property, and when the round names none.
    /// </summary>
    public string? PermanentRepresentation { get; set; }
    /// <summary>For a COORMULTI round, when its request named one: the coordinator of its linked SOIA round.</summary>
    public string? SoiaCoordinatorEmail { get; set; }

    /// <summary>The language of the coordinator's notices; null in rounds stored before it, and when the request named none.</summary>
    public string? CoordinatorLanguage { get; set; }

    /// <summary>The row key of this round in the RoundIndex table.</summary>
    public string IndexKey { get; set; } = "";

    /// <summary>
    /// Since when the watchdog has found this round stuck: its phase says it is open, but no workflow runs it. Set once
    /// (under the row's ETag, so racing checks record it once), cleared if the workflow runs again.
    /// </summary>
    public DateTimeOffset? StuckSince { get; set; }

    /// <summary>What the watchdog found of the round's workflow (<see cref="Housekeeping.StuckWorkflow"/>).</summary>
    public string? StuckWorkflow { get; set; }

    /// <summary>
    /// When the coordinator's approval was accepted: from then on no item can be settled, so the final position has
    /// the settlements of the draft that was approved (see <see cref="SettlementStore"/>).
    /// </summary>
    public DateTimeOffset? ApprovalRequestedAt { get; set; }
}

/// <summary>One round in the RoundIndex table: what the list of rounds shows and filters on, newest first.</summary>
public sealed class RoundIndexRow : ITableEntity
{
    public const string Partition = "round";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string RoundId { get; set; } = "";
    public string Procedure { get; set; } = "";
    public string Title { get; set; } = "";
    public string Organisation { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Phase { get; set; } = "";
    public DateTimeOffset Deadline { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? ParentRoundId { get; set; }
    public int Iteration { get; set; } = 1;

    /// <summary>
    /// The round's coordinator address in lower case, for the console's "mine" filter: a table query compares exactly, so
    /// the case is taken out when the row is written. Missing in rows written before there was this property.
    /// </summary>
    public string? CoordinatorAddress { get; set; }

    /// <summary>As <see cref="CoordinatorAddress"/>, for the coordinator of the linked SOIA round a COORMULTI round names.</summary>
    public string? SoiaCoordinatorAddress { get; set; }

    /// <summary>As on the round row: the round list (and its stuck filter) reads them here, without visiting every round.</summary>
    public DateTimeOffset? StuckSince { get; set; }

    public string? StuckWorkflow { get; set; }

    /// <summary>Newest first: the key sorts by inverted creation time.</summary>
    public static string KeyFor(DateTimeOffset createdAt, string roundId) => $"{DateTimeOffset.MaxValue.UtcTicks - createdAt.UtcTicks:D19}|{roundId}";
}

/// <summary>One agenda item or question of a round.</summary>
public sealed class ItemRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public int Index { get; set; }
    public string ItemId { get; set; } = "";
    public string Title { get; set; } = "";
    public string Text { get; set; } = "";

    /// <summary>The item's <see cref="Rounds.Competence"/>; null in rows stored before competences, which read as Mixed.</summary>
    public string? Competence { get; set; }

    public string? LeadEntity { get; set; }
}

/// <summary>
/// The request to one participant: who, where to write, the reply token (only its hash, plus the nonce the token is
/// derived from), and how far the participant got. States are derived from these facts, never stored.
/// </summary>
public sealed class RequestRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Participant { get; set; } = "";
    public string Name { get; set; } = "";
    public string Emails { get; set; } = "";
    public string Language { get; set; } = "en";

    /// <summary>The round participant this respondent answers for (a Flemish policy area for "flanders"), if not itself.</summary>
    public string? Represents { get; set; }

    public string TokenNonce { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public DateTimeOffset? RequestedAt { get; set; }
    public int LatestVersion { get; set; }
    public DateTimeOffset? FirstRepliedAt { get; set; }
    public DateTimeOffset? LastRepliedAt { get; set; }
    public bool Closed { get; set; }

    /// <summary>The linked round whose approved position is this participant's reply (Flanders via SOIA).</summary>
    public string? LinkedRoundId { get; set; }

    /// <summary>How far the latest e-mail to the participant got (<see cref="Email.DeliveryState"/>); null before the first one.</summary>
    public string? DeliveryState { get; set; }

    public string? DeliveryDetail { get; set; }

    /// <summary>The ledger row key of the e-mail <see cref="DeliveryState"/> describes: events about older e-mails leave it alone.</summary>
    public string? DeliveryMessage { get; set; }

    public DateTimeOffset? DeliveryAt { get; set; }

    /// <summary>
    /// The merge that records reply <paramref name="version"/> on this row: written in the same transaction as that
    /// version's contribution rows, under this row's ETag, by every path that stores a contribution.
    /// </summary>
    public TableEntity RepliedAs(int version, DateTimeOffset at) => new(PartitionKey, RowKey)
    {
        [nameof(LatestVersion)] = version,
        [nameof(FirstRepliedAt)] = FirstRepliedAt ?? at,
        [nameof(LastRepliedAt)] = at,
    };
}

/// <summary>A participant's answer on one item, in one version of its contribution.</summary>
public sealed class ContributionRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Participant { get; set; } = "";
    public int Version { get; set; }
    public string ItemId { get; set; } = "";
    public string Stance { get; set; } = "";
    public string? Remarks { get; set; }

    /// <summary>
    /// The contributors of an answer given for several (see <see cref="ItemReply.Contributors"/>), as JSON: Flanders'
    /// replies from a linked SOIA round stored before that reply became Flanders' own position carry each area's answer
    /// here, and positions still show them.
    /// </summary>
    public string? Contributors { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>
    /// Stored contributors are read only by this app and never put into a page as they are, so characters outside
    /// ASCII are written as themselves rather than escaped.
    /// </summary>
    static readonly JsonSerializerOptions ContributorsJson = new(WorkflowJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ContributionRow From(
        string roundId, string rowKey, string participant, int version, ItemReply reply, DateTimeOffset submittedAt) => new()
    {
        PartitionKey = roundId,
        RowKey = rowKey,
        Participant = participant,
        Version = version,
        ItemId = reply.ItemId,
        Stance = reply.Stance.ToString(),
        Remarks = reply.Remarks,
        Contributors = reply.Contributors is { Count: > 0 } contributors ? ContributorsAsStored(contributors) : null,
        SubmittedAt = submittedAt,
    };

    /// <summary>The contributors as <see cref="Contributors"/> holds them.</summary>
    static string ContributorsAsStored(IReadOnlyList<ParticipantStance> contributors) =>
        JsonSerializer.Serialize(contributors, ContributorsJson);

    public ItemReply ToItemReply() => new(
        ItemId,
        Enum.Parse<Consolidation.Stance>(Stance),
        Remarks,
        Contributors is null ? null : JsonSerializer.Deserialize<List<ParticipantStance>>(Contributors, ContributorsJson));
}

/// <summary>An append-only record of something that happened to a round.</summary>
public sealed class AuditRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }
    public string Action { get; set; } = "";
    public string Actor { get; set; } = "";
    public string Detail { get; set; } = "";
}

/// <summary>The coordinator's settlement of one item (<see cref="ItemSettlement"/>); settling again replaces it, the audit keeps each.</summary>
public sealed class SettlementRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string ItemId { get; set; } = "";
    public string How { get; set; } = "";
    public string? Text { get; set; }
    public string? LeadEntity { get; set; }
    public string? LeadEntityName { get; set; }

    /// <summary>The coordinator's comments, for the audit trail; not part of the position.</summary>
    public string? Comments { get; set; }

    public DateTimeOffset SettledAt { get; set; }
    public int DraftVersion { get; set; }

    public ItemSettlement ToSettlement() =>
        new(Enum.Parse<SettlementKind>(How), Text, LeadEntity, LeadEntityName, SettledAt, DraftVersion);

    /// <summary>Whether this row says the same as a settlement sent again (a retry), whenever either was made.</summary>
    public bool Says(SettlementKind how, string? text, string? leadEntity, string? comments) =>
        How == how.ToString() && Text == text && LeadEntity == leadEntity && Comments == comments;
}
