using Azure;
using Azure.Data.Tables;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Email.Ledger;

/// <summary>What became of a delivery event handed to <see cref="SendLedgerStore.RecordEventAsync"/>.</summary>
public enum EventRecording
{
    Recorded,

    /// <summary>An event with this <c>sg_event_id</c> was recorded before (SendGrid delivers events at least once).</summary>
    Duplicate,

    /// <summary>No ledger row for the message it names: not ours, or not a message this deployment sent.</summary>
    UnknownMessage,
}

/// <summary>
/// The ledger rows of a round's partition (<c>email|...</c>) and the delivery events recorded against them
/// (<c>event|...</c>). Every change that belongs together is one table transaction: an ledger row's verdict with the
/// participant's request row and the audit entry; a delivery event's dedupe row with the ledger and request rows it
/// changes. ETags guard each row, so concurrent writers re-read instead of overwriting each other.
/// </summary>
public sealed class SendLedgerStore(WorkflowStorage storage, AuditLog audit, TimeProvider time)
{
    const int MaxOptimisticAttempts = 10;

    TableClient Table => storage.Rounds;

    public async Task<EmailRow?> GetAsync(EmailKey key, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        return await Table.GetRowAsync<EmailRow>(key.RoundId, RowKeys.Email(key), cancellationToken);
    }

    /// <summary>
    /// Claims the message for one attempt: creates its row as <see cref="SendState.Sending"/>, or takes back a
    /// <see cref="SendState.NotSent"/> row. Returns <c>Claimed = false</c> with the row as it is when another attempt
    /// holds it or it is settled. Only one of any number of concurrent attempts can win the claim.
    /// </summary>
    public async Task<(bool Claimed, EmailRow Row)> ClaimAsync(
        EmailKey key, IReadOnlyList<string> to, string attemptId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            // Most messages are sent once: the first try adds the row without reading first; a conflict says it is there.
            var existing = attempt == 1 ? null : await GetAsync(key, cancellationToken);
            var now = time.GetUtcNow();
            try
            {
                if (existing is null)
                {
                    var row = new EmailRow
                    {
                        PartitionKey = key.RoundId,
                        RowKey = RowKeys.Email(key),
                        Participant = key.Participant,
                        Kind = key.Kind.ToString(),
                        Notice = key.Notice?.ToString(),
                        Sequence = key.MessageNumber,
                        Recipients = string.Join(';', to),
                        State = nameof(SendState.Sending),
                        AttemptId = attemptId,
                        ClaimedAt = now,
                        Attempts = 1,
                    };
                    var added = await Table.AddEntityAsync(row, cancellationToken);
                    row.ETag = added.Headers.ETag ?? default;
                    return (true, row);
                }

                if (existing.SendState != SendState.NotSent)
                {
                    return (false, existing);
                }

                existing.State = nameof(SendState.Sending);
                existing.AttemptId = attemptId;
                existing.ClaimedAt = now;
                existing.Attempts++;
                existing.Recipients = string.Join(';', to);
                var updated = await Table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                existing.ETag = updated.Headers.ETag ?? default;
                return (true, existing);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxOptimisticAttempts)
            {
                // Another attempt created or claimed it between our read and our write: read again and see who has it.
            }
        }
    }

    /// <summary>
    /// Gives a claim back after SendGrid certainly did not accept the message, so a later attempt may send it.
    /// Does nothing if the row is no longer this attempt's.
    /// </summary>
    public async Task ReleaseAsync(EmailKey key, string attemptId, SendResult result, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await GetAsync(key, cancellationToken);
            if (row is null || row.AttemptId != attemptId || row.SendState != SendState.Sending)
            {
                return;
            }

            DeliveryTracking.ApplySendResult(row, result with { Outcome = SendOutcome.NotAccepted }, time.GetUtcNow());
            try
            {
                await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxOptimisticAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Settles a message with the sender's verdict (accepted, rejected or unconfirmed), together with the participant's
    /// request row (its delivery summary, and the moment it was requested) and an audit entry. A verdict that knows
    /// (accepted, rejected) replaces an unconfirmed one; an unconfirmed verdict never replaces a settled row.
    /// </summary>
    public Task<EmailRow> SettleAsync(EmailKey key, string attemptId, SendResult result, CancellationToken cancellationToken) =>
        SettleAsync(key, attemptId, result, claimed: null, knownRequest: null, cancellationToken);

    /// <param name="key">The message.</param>
    /// <param name="attemptId">The attempt that sent it.</param>
    /// <param name="result">What the sender said.</param>
    /// <param name="claimed">The row as this attempt's claim left it, if the caller has it: the first try writes over it
    /// without reading it again (its ETag still guards the write; a change since sends the next try to storage).</param>
    /// <param name="knownRequest">The participant's request row as the caller read it, if it did: likewise used by the first try.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task<EmailRow> SettleAsync(
        EmailKey key, string attemptId, SendResult result, EmailRow? claimed, RequestRow? knownRequest, CancellationToken cancellationToken)
    {
        if (result.Outcome == SendOutcome.NotAccepted)
        {
            throw new ArgumentException("A message that was not accepted is released, not settled.", nameof(result));
        }

        for (var attempt = 1; ; attempt++)
        {
            var row = (attempt == 1 && claimed?.AttemptId == attemptId ? claimed : await GetAsync(key, cancellationToken))
                ?? throw new InvalidOperationException($"The ledger row of {key.Name} disappeared.");
            var settled = row.SendState.IsSettled();
            if ((settled && result.Outcome == SendOutcome.Unconfirmed) || row.SendState is SendState.Sent or SendState.Rejected)
            {
                return row;
            }

            if (row.SendState == SendState.Sending && row.AttemptId != attemptId)
            {
                // Someone else claimed it after ours was given up: theirs to settle.
                return row;
            }

            var now = time.GetUtcNow();
            DeliveryTracking.ApplySendResult(row, result, now);
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, row, row.ETag) };
            var useKnownRequest = attempt == 1 && knownRequest?.Participant == key.Participant && knownRequest.PartitionKey == key.RoundId;
            if (key.ToParticipant && (useKnownRequest ? knownRequest : await GetRequestAsync(key, cancellationToken)) is { } request)
            {
                var update = DeliveryUpdate(row, request, now);
                if (key.Kind == MessageKind.Request && result.Outcome != SendOutcome.Rejected && request.RequestedAt is null)
                {
                    // Requested once handed over; for an unconfirmed one that is the best we know.
                    update[nameof(RequestRow.RequestedAt)] = row.SentAt ?? now;
                }

                actions.Add(new(TableTransactionActionType.UpdateMerge, update, request.ETag));
            }

            actions.Add(new(TableTransactionActionType.Add, Audit(key, row)));
            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return row;
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < MaxOptimisticAttempts)
            {
                // A reply or a delivery event changed one of the rows since we read it: read again.
            }
        }
    }

    /// <summary>
    /// Records one delivery event exactly once: the event row (keyed by its id) is added in the same transaction that
    /// updates the ledger row and, for the participant's latest message, the request row. A redelivered event fails
    /// the add and changes nothing.
    /// </summary>
    public async Task<EventRecording> RecordEventAsync(DeliveryEvent e, CancellationToken cancellationToken)
    {
        var eventRowKey = RowKeys.Event(EventWebhookSignature.HashEventId(e.EventId));
        for (var attempt = 1; ; attempt++)
        {
            var row = await GetAsync(e.Key, cancellationToken);
            if (row is null)
            {
                return EventRecording.UnknownMessage;
            }

            var now = time.GetUtcNow();
            DeliveryTracking.ApplyEvent(row, e, now);
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new DeliveryEventRow
                {
                    PartitionKey = e.Key.RoundId,
                    RowKey = eventRowKey,
                    EventId = e.EventId,
                    Event = e.Type.ToString(),
                    Message = row.RowKey,
                    Email = e.Email,
                    Reason = DeliveryTracking.Truncate(e.Reason),
                    ProviderMessageId = e.ProviderMessageId,
                    OccurredAt = e.OccurredAt,
                    ReceivedAt = now,
                }),
                new(TableTransactionActionType.UpdateReplace, row, row.ETag),
            };

            // The request row shows the latest message to the participant: events about an older one only update its own row.
            if (e.Key.ToParticipant && await GetRequestAsync(e.Key, cancellationToken) is { } request
                && (request.DeliveryMessage is null || request.DeliveryMessage == row.RowKey))
            {
                actions.Add(new(TableTransactionActionType.UpdateMerge, DeliveryUpdate(row, request, now), request.ETag));
            }

            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return EventRecording.Recorded;
            }
            catch (TableTransactionFailedException failed) when (failed.Status == 409)
            {
                return EventRecording.Duplicate;
            }
            catch (TableTransactionFailedException failed) when (failed.Status == 412 && attempt < MaxOptimisticAttempts)
            {
            }
        }
    }

    /// <summary>Every ledger row of one participant (messages to it, and notices about it) in a round.</summary>
    public async Task<IReadOnlyList<EmailRow>> GetForParticipantAsync(string roundId, string participant, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        return await Table.QueryPrefixAsync<EmailRow>(roundId, RowKeys.EmailsOf(participant), cancellationToken);
    }

    /// <summary>
    /// The messages of one kind in a round that an attempt settled (sent, rejected or unconfirmed): never to be sent
    /// again. One query for the whole round, keys and states only.
    /// </summary>
    public async Task<IReadOnlySet<EmailKey>> GetSettledAsync(string roundId, MessageKind kind, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var settled = new HashSet<EmailKey>();
        var ofKind = TableClient.CreateQueryFilter($"Kind eq {kind.ToString()}");
        var filter = $"{RoundPartition.PrefixFilter(roundId, RowKeys.EmailPrefix)} and {ofKind}";
        await foreach (var row in Table.QueryAsync<EmailRow>(
            filter,
            select: [nameof(EmailRow.Participant), nameof(EmailRow.Kind), nameof(EmailRow.Sequence), nameof(EmailRow.State)],
            cancellationToken: cancellationToken))
        {
            if (row.SendState.IsSettled())
            {
                settled.Add(EmailKey.ForParticipant(roundId, row.Participant, kind, row.Sequence));
            }
        }

        return settled;
    }

    /// <summary>The delivery events recorded for a round, oldest first by arrival.</summary>
    public async Task<IReadOnlyList<DeliveryEventRow>> GetEventsAsync(string roundId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var rows = await Table.QueryPrefixAsync<DeliveryEventRow>(roundId, RowKeys.EventPrefix, cancellationToken);
        return rows.OrderBy(r => r.ReceivedAt).ToList();
    }

    Task<RequestRow?> GetRequestAsync(EmailKey key, CancellationToken cancellationToken) =>
        Table.GetRowAsync<RequestRow>(key.RoundId, RowKeys.Request(key.Participant), cancellationToken);

    /// <summary>A merge of the delivery fields only, so nothing else on the request row is touched. "" clears a field.</summary>
    static TableEntity DeliveryUpdate(EmailRow row, RequestRow request, DateTimeOffset now)
    {
        DeliveryTracking.CopyToRequest(row, request, now);
        return new TableEntity(request.PartitionKey, request.RowKey)
        {
            [nameof(RequestRow.DeliveryState)] = request.DeliveryState ?? "",
            [nameof(RequestRow.DeliveryDetail)] = request.DeliveryDetail ?? "",
            [nameof(RequestRow.DeliveryMessage)] = request.DeliveryMessage,
            [nameof(RequestRow.DeliveryAt)] = request.DeliveryAt,
        };
    }

    /// <summary>The audit entry that goes with a message's verdict, in the same transaction.</summary>
    AuditRow Audit(EmailKey key, EmailRow row)
    {
        var message = $"{key.Label} {key.MessageNumber} for {key.Participant}";
        var (action, detail) = row.SendState switch
        {
            SendState.Sent => ("EmailSent", $"{message} handed to the mail service ({row.ProviderMessageId})."),
            SendState.Rejected => ("EmailRejected", $"{message} refused: {row.Detail}"),
            _ => ("EmailUnconfirmed", $"{message} may or may not have gone out, and is not sent again: {row.Detail}"),
        };
        return audit.NewEntry(key.RoundId, action, "workflow", DeliveryTracking.Truncate(detail) ?? "");
    }
}
