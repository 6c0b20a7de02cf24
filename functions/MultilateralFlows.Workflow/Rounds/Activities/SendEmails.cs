using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Sends one kind of e-mail to a batch of participants: the request with the personal reply link, a reminder (only to
/// participants who have not replied), or the receipt of a reply; the batch's <see cref="EmailBatch.MessageNumber"/>
/// says which iteration, reminder or contribution version. Every message goes through the <see cref="SendLedger"/>, so a
/// retried or replayed batch sends only what no earlier attempt sent. A participant that SendGrid refuses for good is recorded as
/// undeliverable (or unconfirmed, when SendGrid did not answer) and the coordinator is told once; the batch goes on
/// and the activity succeeds, so the round continues. It fails only when SendGrid did not take messages that can
/// still be sent: the activity's retry sends those.
/// </summary>
public sealed class SendEmails(
    RoundStore rounds,
    RequestStore requests,
    ContributionStore contributions,
    ReplyTokens tokens,
    SendLedger ledger,
    CoordinatorNotices notices,
    IOptions<LinkOptions> links,
    ILogger<SendEmails> logger) : IWorkflowActivity<EmailBatch, int>
{
    const int ParallelSends = 8;

    public async Task<int> RunAsync(EmailBatch batch, CancellationToken cancellationToken = default)
    {
        if (batch.Kind == MessageKind.CoordinatorNotice)
        {
            throw new ArgumentException("Coordinator notices go through the NotifyCoordinator activity.", nameof(batch));
        }

        var round = await rounds.GetAsync(batch.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {batch.RoundId} is not stored.");
        var sent = 0;
        var failures = new ConcurrentQueue<Exception>();
        var stop = 0;

        // Each send runs to its end: one failure must not cancel a call that SendGrid may already have taken. When
        // SendGrid refuses (throttled or down) no new sends start; the activity's retry continues where this one stopped.
        await Parallel.ForEachAsync(
            batch.Participants.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelSends },
            async (participant, _) =>
            {
                if (Volatile.Read(ref stop) == 1 || cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    if (await SendOneAsync(round, batch, participant, cancellationToken))
                    {
                        Interlocked.Increment(ref sent);
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                    if (e is EmailNotSentException or OperationCanceledException)
                    {
                        Volatile.Write(ref stop, 1);
                    }
                }
            });

        if (!failures.IsEmpty)
        {
            logger.LogWarning(
                "Round {RoundId}: {Kind} {MessageNumber}: {Sent} sent, {FailureCount} to try again",
                batch.RoundId, batch.Kind, batch.MessageNumber, sent, failures.Count);
            if (failures.Count == 1)
            {
                ExceptionDispatchInfo.Capture(failures.Single()).Throw();
            }

            throw new AggregateException($"Round {batch.RoundId}: {failures.Count} {batch.Kind} e-mail(s) were not sent.", failures);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return sent;
    }

    /// <summary>True when this call handed the message over; false when an earlier attempt had, or there was nothing to send.</summary>
    async Task<bool> SendOneAsync(RoundRecord round, EmailBatch batch, string participant, CancellationToken cancellationToken)
    {
        var key = EmailKey.ForParticipant(batch.RoundId, participant, batch.Kind, batch.MessageNumber);
        var request = await requests.GetAsync(batch.RoundId, participant, cancellationToken)
            ?? throw new InvalidOperationException($"Round {batch.RoundId} has no request for {participant}.");

        // A message an earlier attempt settled is not sent again: the ledger's claim finds it so (and says how it went).
        var delivery = await ComposeAndSendAsync(round, batch, request, key, cancellationToken);
        if (delivery is null)
        {
            return false;
        }

        // Also when an earlier attempt settled it: that attempt may have stopped before the notice went out.
        if (delivery.State is SendState.Rejected or SendState.Unconfirmed)
        {
            var notice = delivery.State == SendState.Rejected ? NoticeKind.Undeliverable : NoticeKind.Unconfirmed;
            await notices.SendAsync(batch.RoundId, notice, 0, participant, cancellationToken);
        }

        if (delivery.Now)
        {
            logger.LogInformation(
                "Round {RoundId}: {Kind} {MessageNumber} for {Participant}: {State}",
                batch.RoundId, batch.Kind, batch.MessageNumber, participant, delivery.State);
        }

        return delivery.Now && delivery.Accepted;
    }

    async Task<EmailDelivery?> ComposeAndSendAsync(
        RoundRecord stored, EmailBatch batch, RequestRow request, EmailKey key, CancellationToken cancellationToken)
    {
        var round = stored.Definition;
        var link = links.Value.ReplyUrl(tokens.TokenHeld(batch.RoundId, request.Participant, request.TokenNonce, request.TokenHash));
        var to = Addressee.Of(request);
        EmailContent content;
        switch (batch.Kind)
        {
            case MessageKind.Reminder when request.Closed || await RepliedThisIterationAsync(stored, request, cancellationToken):
                // Replied (or closed) since the round decided to remind: a reminder now would be wrong.
                logger.LogInformation(
                    "Round {RoundId}: no reminder {MessageNumber} for {Participant}: replied or closed",
                    batch.RoundId, batch.MessageNumber, request.Participant);
                return null;
            case MessageKind.Reminder:
                content = EmailTemplates.Reminder(round, to, link, EmailKey.ReminderNumber(batch.MessageNumber));
                break;
            case MessageKind.Receipt:
                var contribution = await contributions.GetAsync(batch.RoundId, request.Participant, batch.MessageNumber, cancellationToken);
                if (contribution is null)
                {
                    logger.LogWarning(
                        "Round {RoundId}: no receipt for {Participant}: there is no version {Version}",
                        batch.RoundId, request.Participant, batch.MessageNumber);
                    return null;
                }

                content = EmailTemplates.Receipt(round, to, link, contribution);
                break;
            default:
                content = EmailTemplates.Request(round, to, link, stored.Iteration, round.Items.Where(i => stored.IsOpen(i.Id)).ToList());
                break;
        }

        var message = new EmailMessage(
            key,
            request.Emails.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            round.CoordinatorEmail,
            content.Subject,
            content.PlainText,
            content.Html);
        return await ledger.SendOnceAsync(message, request, cancellationToken);
    }

    /// <summary>
    /// Whether the participant replied after this iteration's request went out: in a reopened round, a reply to the
    /// first iteration does not answer the second.
    /// </summary>
    async Task<bool> RepliedThisIterationAsync(RoundRecord round, RequestRow request, CancellationToken cancellationToken)
    {
        if (request.LastRepliedAt is not { } lastReply)
        {
            return false;
        }

        var iterationRequest = await ledger.FindAsync(
            EmailKey.ForParticipant(round.Definition.Id, request.Participant, MessageKind.Request, round.Iteration), cancellationToken);
        return (iterationRequest?.SentAt ?? iterationRequest?.ClaimedAt) is { } askedAt
            ? lastReply > askedAt
            : round.Iteration == 1;
    }
}
