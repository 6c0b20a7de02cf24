using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Email;

/// <summary>A delivery event SendGrid reports (the kinds MultilateralFlows keeps).</summary>
public enum DeliveryEventType
{
    Processed,
    Deferred,
    Delivered,
    Bounced,
    Dropped,
}

/// <summary>One event of SendGrid's Event Webhook about one of our messages, identified through its <c>custom_args</c>.</summary>
public sealed record DeliveryEvent(
    string EventId,
    DeliveryEventType Type,
    EmailKey Key,
    string? Email,
    string? Reason,
    string? ProviderMessageId,
    DateTimeOffset? OccurredAt);

/// <summary>
/// What an ledger row says about delivery, from SendGrid's answer and then from its delivery events. Events come in any
/// order and more than once, so each rule only ever moves towards more knowledge: a later "processed" does not undo a
/// "delivered", a "delivered" for one address outweighs a bounce for another (the participant was reached).
/// </summary>
public static class DeliveryTracking
{
    const int MaxDetailLength = 500;

    /// <summary>Records the sender's verdict on the row the attempt had claimed.</summary>
    public static void ApplySendResult(EmailRow row, SendResult result, DateTimeOffset now)
    {
        row.Status = result.Status;
        row.Detail = Truncate(result.Detail);
        switch (result.Outcome)
        {
            case SendOutcome.Accepted:
                row.State = nameof(SendState.Sent);
                row.SentAt ??= now;
                row.ProviderMessageId = result.ProviderMessageId ?? row.ProviderMessageId;
                if (row.Delivery is null or nameof(DeliveryState.Unconfirmed))
                {
                    row.Delivery = nameof(DeliveryState.Sent);
                    row.DeliveryDetail = null;
                }

                break;
            case SendOutcome.Rejected:
                row.State = nameof(SendState.Rejected);
                row.Delivery = nameof(DeliveryState.Undeliverable);
                row.DeliveryDetail = row.Detail;
                break;
            case SendOutcome.Unconfirmed:
                row.State = nameof(SendState.Unconfirmed);
                if (row.Delivery is null)
                {
                    row.Delivery = nameof(DeliveryState.Unconfirmed);
                    row.DeliveryDetail = row.Detail;
                }

                break;
            case SendOutcome.NotAccepted:
                row.State = nameof(SendState.NotSent);
                break;
        }
    }

    /// <summary>Adds what one delivery event says to the row of the message it is about.</summary>
    public static void ApplyEvent(EmailRow row, DeliveryEvent e, DateTimeOffset now)
    {
        // Any event proves SendGrid took the message: an unconfirmed send did go out.
        if (row.SendState == SendState.Unconfirmed)
        {
            row.State = nameof(SendState.Sent);
            row.SentAt ??= e.OccurredAt ?? now;
            row.Detail = Truncate($"{row.Detail} Confirmed later by SendGrid's {e.Type.ToString().ToLowerInvariant()} event.".Trim());
        }

        row.ProviderMessageId ??= e.ProviderMessageId;
        if (row.Delivery is null or nameof(DeliveryState.Unconfirmed))
        {
            row.Delivery = nameof(DeliveryState.Sent);
            row.DeliveryDetail = null;
        }

        var address = e.Email?.Trim().ToLowerInvariant();
        switch (e.Type)
        {
            case DeliveryEventType.Deferred when row.Delivery == nameof(DeliveryState.Sent):
                row.DeliveryDetail = Truncate($"Deferred by the receiving server: {e.Reason}");
                break;
            case DeliveryEventType.Delivered:
                row.DeliveredTo = AddAddress(row.DeliveredTo, address);
                row.Delivery = nameof(DeliveryState.Delivered);
                row.DeliveryDetail = string.IsNullOrEmpty(row.FailedTo) ? null : Truncate($"Not delivered to {row.FailedTo}.");
                break;
            case DeliveryEventType.Bounced or DeliveryEventType.Dropped:
                row.FailedTo = AddAddress(row.FailedTo, address);
                if (string.IsNullOrEmpty(row.DeliveredTo))
                {
                    row.Delivery = e.Type == DeliveryEventType.Bounced ? nameof(DeliveryState.Bounced) : nameof(DeliveryState.Dropped);
                    row.DeliveryDetail = Truncate($"{address}: {e.Reason}");
                }
                else
                {
                    row.DeliveryDetail = Truncate($"Not delivered to {row.FailedTo}: {e.Reason}");
                }

                break;
        }

        var at = e.OccurredAt ?? now;
        if (row.LastEventAt is null || at > row.LastEventAt)
        {
            row.LastEventAt = at;
        }
    }

    /// <summary>The request row's delivery summary as the ledger row now stands.</summary>
    public static void CopyToRequest(EmailRow row, RequestRow request, DateTimeOffset now)
    {
        request.DeliveryState = row.Delivery;
        request.DeliveryDetail = row.DeliveryDetail;
        request.DeliveryMessage = row.RowKey;
        request.DeliveryAt = now;
    }

    public static string? Truncate(string? value) =>
        value is null || value.Length <= MaxDetailLength ? value : value[..MaxDetailLength] + "…";

    static string? AddAddress(string? list, string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return list;
        }

        var addresses = (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!addresses.Contains(address, StringComparer.Ordinal))
        {
            addresses.Add(address);
        }

        return string.Join(';', addresses);
    }
}
