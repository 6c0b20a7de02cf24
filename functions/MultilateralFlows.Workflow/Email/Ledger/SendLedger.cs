using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Email.Ledger;

/// <summary>What became of a message handed to <see cref="SendLedger.SendOnceAsync"/>.</summary>
/// <param name="Now">True when this call settled it (sent it, or learnt it was refused or unconfirmed); false when an earlier attempt had.</param>
public sealed record EmailDelivery(EmailKey Key, SendState State, bool Now, string? Detail)
{
    public bool Accepted => State == SendState.Sent;
}

/// <summary>SendGrid certainly did not accept the message (throttled, failing, unreachable or misconfigured); a later attempt may send it.</summary>
public sealed class EmailNotSentException(EmailKey key, SendResult result)
    : Exception($"E-mail {key.Name} was not accepted and will be tried again: {result.Detail}")
{
    public EmailKey Key { get; } = key;

    public int? Status { get; } = result.Status;
}

/// <summary>
/// Sends each message at most once, whatever retries and restarts happen around it. Activities run at least once and
/// SendGrid has no idempotency key, so the ledger row of the message (<see cref="EmailKey"/>) is claimed in Table
/// storage <b>before</b> SendGrid is called, and settled after:
/// <list type="bullet">
/// <item>no row: claim it (<c>Sending</c>, with this attempt's id), call SendGrid, settle;</item>
/// <item><c>Sent</c>, <c>Rejected</c> or <c>Unconfirmed</c>: settled, nothing is sent;</item>
/// <item><c>NotSent</c> (SendGrid certainly refused, e.g. 429 or 5xx after the sender's retries): claim it again and send;</item>
/// <item><c>Sending</c>: another attempt holds it. While that attempt can still be alive (within the sender's
/// <see cref="IEmailSender.LongestSend"/> of its claim) wait for it; after that it died mid-call (a crash, a killed
/// host), so whether SendGrid got the message is unknowable: settle as <c>Unconfirmed</c> without sending. (The local
/// mail folder is the exception: writing the same file again is harmless, so it is written again.)</item>
/// </list>
/// So the one window where a message may be lost rather than duplicated is a call that got no answer (time-out,
/// broken connection, host killed mid-call). That is the chosen trade: a ministry's participant receiving the same
/// request twice is a visible fault, and a missing one is caught: the round status shows the participant as
/// <see cref="DeliveryState.Unconfirmed"/>, the coordinator gets a notice, and a later SendGrid event (which carries the
/// message's <c>custom_args</c>) turns it into <c>Sent</c>/<c>Delivered</c> if it did go out.
/// </summary>
public sealed class SendLedger(
    SendLedgerStore store,
    IEmailSender sender,
    TimeProvider time,
    ILogger<SendLedger> logger)
{
    static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public Task<EmailRow?> FindAsync(EmailKey key, CancellationToken cancellationToken) => store.GetAsync(key, cancellationToken);

    /// <summary>
    /// Sends the message unless an attempt already did (or may have). Throws <see cref="EmailNotSentException"/> when
    /// SendGrid certainly did not take it, so the activity fails and its retry sends it.
    /// </summary>
    public Task<EmailDelivery> SendOnceAsync(EmailMessage message, CancellationToken cancellationToken) =>
        SendOnceAsync(message, recipientRequest: null, cancellationToken);

    /// <param name="message">The message.</param>
    /// <param name="recipientRequest">The participant's request row, if the caller has just read it: settling the message
    /// updates it without reading it again (guarded by its ETag).</param>
    /// <param name="cancellationToken">Stops waiting for another attempt; a send under way runs to its end.</param>
    public async Task<EmailDelivery> SendOnceAsync(EmailMessage message, RequestRow? recipientRequest, CancellationToken cancellationToken)
    {
        var key = message.Key;
        var attemptId = Guid.NewGuid().ToString("N");
        EmailRow claim;
        while (true)
        {
            var (claimed, row) = await store.ClaimAsync(key, message.To, attemptId, cancellationToken);
            if (claimed)
            {
                claim = row;
                break;
            }

            if (row.SendState != SendState.Sending)
            {
                return new EmailDelivery(key, row.SendState, Now: false, row.Detail);
            }

            var staleAt = (row.ClaimedAt ?? row.Timestamp ?? time.GetUtcNow()) + sender.LongestSend;
            var now = time.GetUtcNow();
            if (now >= staleAt && sender.RepeatIsHarmless)
            {
                // The attempt died; with the local mail folder, writing the message again changes nothing but makes sure it is there.
                await store.ReleaseAsync(
                    key,
                    row.AttemptId ?? "",
                    new SendResult(SendOutcome.NotAccepted, Detail: "The attempt that claimed it stopped; written again."),
                    cancellationToken);
                continue;
            }

            if (now >= staleAt)
            {
                return await SettleAbandonedAsync(row, key, cancellationToken);
            }

            logger.LogInformation("E-mail {MessageKey} is being sent by attempt {AttemptId}; waiting for it", key.Name, row.AttemptId);
            var wait = staleAt - now;
            await Task.Delay(wait < PollInterval ? wait : PollInterval, time, cancellationToken);
        }

        SendResult result;
        if (message.To.Count == 0)
        {
            result = new SendResult(SendOutcome.Rejected, Detail: "The directory has no e-mail address for this participant.");
        }
        else
        {
            try
            {
                result = await sender.SendAsync(message, cancellationToken);
            }
            catch (Exception)
            {
                // The sender throws only when the message certainly did not go out: give the claim back for the retry.
                await store.ReleaseAsync(
                    key,
                    attemptId,
                    new SendResult(SendOutcome.NotAccepted, Detail: "The attempt stopped before calling the mail service."),
                    CancellationToken.None);
                throw;
            }
        }

        if (result.Outcome == SendOutcome.NotAccepted)
        {
            await store.ReleaseAsync(key, attemptId, result, CancellationToken.None);
            throw new EmailNotSentException(key, result);
        }

        // Whatever happens to the caller now, SendGrid's verdict must be written down: not cancellable.
        var settled = await store.SettleAsync(key, attemptId, result, claim, recipientRequest, CancellationToken.None);
        return new EmailDelivery(key, settled.SendState, Now: true, settled.Detail);
    }

    async Task<EmailDelivery> SettleAbandonedAsync(EmailRow row, EmailKey key, CancellationToken cancellationToken)
    {
        var detail = $"An earlier attempt stopped while handing it to the mail service (claimed " +
            $"{row.ClaimedAt:u}); it may or may not have gone out, so it is not sent again.";
        logger.LogError("E-mail {MessageKey}: {Reason}", key.Name, detail);
        var settled = await store.SettleAsync(key, row.AttemptId, new SendResult(SendOutcome.Unconfirmed, Detail: detail), cancellationToken);
        return new EmailDelivery(key, settled.SendState, Now: settled.SendState == SendState.Unconfirmed, settled.Detail);
    }
}
