using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Sends the approved position to everyone it concerns: every respondent the round asked (each in its directory language;
/// in a linked SOIA round, the Flemish policy areas) and every address the round names for the permanent representation
/// (in the language given there). Each e-mail carries a summary per item and the complete HTML document as an attachment.
/// Every message goes through the <see cref="SendLedger"/> under (round, recipient, FinalPosition, version), so a retried
/// activity or a restarted host sends only what no earlier attempt sent: once per recipient. A recipient the mail service
/// refuses is recorded and the coordinator is told once, as for any participant e-mail; the activity fails only when
/// messages that can still be sent were not taken, and its retry sends those.
/// </summary>
public sealed class DistributeFinalPosition(
    RoundStore rounds,
    RequestStore requests,
    PositionStore positions,
    SendLedger ledger,
    CoordinatorNotices notices,
    ILogger<DistributeFinalPosition> logger) : IWorkflowActivity<FinalPositionDistribution, int>
{
    const int ParallelSends = 8;

    public async Task<int> RunAsync(FinalPositionDistribution input, CancellationToken cancellationToken = default)
    {
        var round = (await rounds.GetAsync(input.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} is not stored.")).Definition;
        var position = await positions.ReadDocumentAsync(input.RoundId, input.Version, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} has no position version {input.Version}.");
        var recipients = await RecipientsAsync(round, input, cancellationToken);

        // The whole position goes along in each recipient's language: written once per language from the stored version.
        var attachments = new Dictionary<string, EmailAttachment>();
        foreach (var texts in recipients.Select(r => PositionTexts.For(r.To.Language)).DistinctBy(t => t.Language))
        {
            attachments[texts.Language] = new EmailAttachment(
                $"position-{input.RoundId}-v{input.Version}.{texts.Language}.html",
                PositionRenderer.ContentType(PositionFormat.Html),
                await PositionRenderer.ToHtmlAsync(position, texts));
        }

        var sent = 0;
        var failures = new ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(
            recipients,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelSends },
            async (recipient, _) =>
            {
                try
                {
                    var attachment = attachments[PositionTexts.For(recipient.To.Language).Language];
                    var content = EmailTemplates.FinalPosition(round, recipient.To, position, attachment.FileName);
                    var message = new EmailMessage(
                        recipient.Key, recipient.Addresses, round.CoordinatorEmail, content.Subject, content.PlainText, content.Html, [attachment]);
                    if (await SendOneAsync(message, recipient.Request, cancellationToken))
                    {
                        Interlocked.Increment(ref sent);
                    }
                }
                catch (Exception e)
                {
                    // Each send runs to its end: one failure must not cancel a call the mail service may already have taken.
                    failures.Enqueue(e);
                }
            });

        if (!failures.IsEmpty)
        {
            logger.LogWarning(
                "Round {RoundId}: final position {Version}: {Sent} sent, {FailureCount} to try again",
                input.RoundId, input.Version, sent, failures.Count);
            throw new AggregateException($"Round {input.RoundId}: {failures.Count} final-position e-mail(s) were not sent.", failures);
        }

        logger.LogInformation(
            "Round {RoundId}: final position {Version} sent to {Sent} of {RecipientCount} recipient(s) in this attempt",
            input.RoundId, input.Version, sent, recipients.Count);
        return sent;
    }

    /// <summary>Every respondent with an address, then the permanent representation's addresses in the order the round names them.</summary>
    async Task<List<Recipient>> RecipientsAsync(RoundDefinition round, FinalPositionDistribution input, CancellationToken cancellationToken)
    {
        var recipients = new List<Recipient>();
        foreach (var request in await requests.ListAsync(input.RoundId, cancellationToken))
        {
            var addresses = request.Emails.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (addresses.Length == 0)
            {
                // Never reached by the request either, and the coordinator was told then: nothing new to say.
                logger.LogWarning("Round {RoundId}: {Participant} has no e-mail address for the final position", input.RoundId, request.Participant);
                continue;
            }

            recipients.Add(new Recipient(
                EmailKey.ForParticipant(input.RoundId, request.Participant, MessageKind.FinalPosition, input.Version),
                addresses,
                Addressee.Of(request),
                request));
        }

        var representation = round.PermanentRepresentation ?? [];
        for (var i = 0; i < representation.Count; i++)
        {
            var address = representation[i];
            var slot = EmailKey.PermanentRepresentation(i + 1);
            var name = address.Name ?? EmailTexts.For(address.Language).PermanentRepresentation;
            recipients.Add(new Recipient(
                EmailKey.ForParticipant(input.RoundId, slot, MessageKind.FinalPosition, input.Version),
                [address.Email],
                new Addressee(slot, name, address.Language),
                Request: null));
        }

        return recipients;
    }

    /// <summary>True when this call handed the message over; false when an earlier attempt had settled it.</summary>
    async Task<bool> SendOneAsync(EmailMessage message, RequestRow? request, CancellationToken cancellationToken)
    {
        var delivery = await ledger.SendOnceAsync(message, request, cancellationToken);

        // Also when an earlier attempt settled it: that attempt may have stopped before the notice went out.
        if (delivery.State is SendState.Rejected or SendState.Unconfirmed)
        {
            var notice = delivery.State == SendState.Rejected ? NoticeKind.Undeliverable : NoticeKind.Unconfirmed;
            await notices.SendAsync(message.Key.RoundId, notice, 0, message.Key.Participant, cancellationToken);
        }

        if (delivery.Now)
        {
            logger.LogInformation(
                "Round {RoundId}: final position {Version} for {Recipient}: {State}",
                message.Key.RoundId, message.Key.MessageNumber, message.Key.Participant, delivery.State);
        }

        return delivery.Now && delivery.Accepted;
    }

    sealed record Recipient(EmailKey Key, IReadOnlyList<string> Addresses, Addressee To, RequestRow? Request);
}
