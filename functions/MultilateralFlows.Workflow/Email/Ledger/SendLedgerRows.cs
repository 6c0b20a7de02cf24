using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace MultilateralFlows.Email.Ledger;

/// <summary>
/// Where a message stands in the <see cref="SendLedger"/>, which has the rules between the states. Stored by member name
/// (<see cref="EmailRow.State"/>): renaming a member strands the rows that hold it.
/// </summary>
public enum SendState
{
    /// <summary>An attempt claimed the message and may be talking to SendGrid right now.</summary>
    Sending,

    /// <summary>Certainly not accepted (throttled, server errors): the next attempt may claim it again.</summary>
    NotSent,

    /// <summary>Accepted by SendGrid (or written to the local mail folder). Final.</summary>
    Sent,

    /// <summary>Refused by SendGrid for good. Final.</summary>
    Rejected,

    /// <summary>An attempt may or may not have reached SendGrid. Final: never sent again; a delivery event can still confirm it.</summary>
    Unconfirmed,
}

/// <summary>What the states mean together. Not a property of the row: the Tables SDK would store it as a column.</summary>
public static class SendStates
{
    /// <summary>Whether an attempt settled the message (sent, refused or unconfirmed): it is never sent again.</summary>
    public static bool IsSettled(this SendState state) => state is SendState.Sent or SendState.Rejected or SendState.Unconfirmed;
}

/// <summary>
/// The send ledger's entry for one e-mail (see <see cref="EmailKey"/>), written before SendGrid is called: it is what
/// stops a second send. It also collects what SendGrid's delivery events said about the message.
/// </summary>
public sealed class EmailRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Participant { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Notice { get; set; }

    /// <summary>The key's <see cref="EmailKey.MessageNumber"/>, in the column it had under its first name.</summary>
    public int Sequence { get; set; }

    /// <summary>The addresses, ';'-separated.</summary>
    public string Recipients { get; set; } = "";

    public string State { get; set; } = nameof(SendState.Sending);

    /// <summary>Which attempt holds (or last held) the claim, and since when.</summary>
    public string AttemptId { get; set; } = "";
    public DateTimeOffset? ClaimedAt { get; set; }
    public int Attempts { get; set; }

    public DateTimeOffset? SentAt { get; set; }
    public string? ProviderMessageId { get; set; }

    /// <summary>SendGrid's HTTP status and explanation of the last answer that was not an acceptance.</summary>
    public int? Status { get; set; }
    public string? Detail { get; set; }

    /// <summary>The <see cref="DeliveryState"/> that SendGrid's answer and delivery events add up to.</summary>
    public string? Delivery { get; set; }
    public string? DeliveryDetail { get; set; }

    /// <summary>Addresses SendGrid reported delivered, and those it reported bounced or dropped (';'-separated).</summary>
    public string? DeliveredTo { get; set; }
    public string? FailedTo { get; set; }
    public DateTimeOffset? LastEventAt { get; set; }

    /// <remarks>The Tables SDK stores every public getter, so rows have carried this as a column since it was named OutboxState.</remarks>
    [DataMember(Name = "OutboxState")]
    public SendState SendState => Enum.TryParse<SendState>(State, out var state) ? state : SendState.Sending;
}

/// <summary>One delivery event from SendGrid's Event Webhook, kept once: its existence is what recognises a redelivery.</summary>
public sealed class DeliveryEventRow : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string EventId { get; set; } = "";
    public string Event { get; set; } = "";
    public string Message { get; set; } = "";
    public string? Email { get; set; }
    public string? Reason { get; set; }
    public string? ProviderMessageId { get; set; }
    public DateTimeOffset? OccurredAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
