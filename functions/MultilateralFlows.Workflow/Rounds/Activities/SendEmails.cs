using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Sends one kind of e-mail (the request with the personal reply link, or a reminder) to a batch of participants.
/// A message whose e-mail row exists has been sent and is skipped, so a retried batch sends only what is missing.
/// </summary>
public sealed class SendEmails(
    RoundStore rounds,
    ReplyTokens tokens,
    IEmailSender sender,
    IOptions<LinkOptions> links,
    TimeProvider time,
    ILogger<SendEmails> logger) : IWorkflowActivity<EmailBatch, int>
{
    const int ParallelSends = 8;

    public async Task<int> RunAsync(EmailBatch batch, CancellationToken cancellationToken = default)
    {
        var round = await rounds.GetAsync(batch.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {batch.RoundId} is not stored.");
        var sent = 0;
        await Parallel.ForEachAsync(
            batch.Participants,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = cancellationToken },
            async (participant, ct) =>
            {
                if (await SendOneAsync(round, batch, participant, ct))
                {
                    Interlocked.Increment(ref sent);
                }
            });
        return sent;
    }

    async Task<bool> SendOneAsync(RoundRecord round, EmailBatch batch, string participant, CancellationToken cancellationToken)
    {
        var kind = batch.Kind.ToString();
        if (await rounds.GetEmailAsync(batch.RoundId, participant, kind, batch.Sequence, cancellationToken) is not null)
        {
            return false;
        }

        var request = await rounds.GetRequestAsync(batch.RoundId, participant, cancellationToken)
            ?? throw new InvalidOperationException($"Round {batch.RoundId} has no request for {participant}.");
        var link = links.Value.ReplyUrl(tokens.TokenFor(batch.RoundId, participant, request.TokenNonce));
        var content = EmailTemplates.ForParticipant(batch.Kind, round.Definition, request, link);
        var message = new EmailMessage(
            batch.RoundId, participant, batch.Kind, batch.Sequence,
            request.Emails.Split(';', StringSplitOptions.RemoveEmptyEntries),
            content.Subject, content.PlainText, content.Html);

        var receipt = await sender.SendAsync(message, cancellationToken);
        await rounds.RecordEmailAsync(batch.RoundId, participant, kind, batch.Sequence, receipt.ProviderMessageId, cancellationToken);
        if (batch.Kind == MessageKind.Request)
        {
            await rounds.MarkRequestedAsync(batch.RoundId, participant, time.GetUtcNow(), cancellationToken);
        }

        logger.LogInformation("Sent {MessageKind} for round {RoundId} to {Participant}", batch.Kind, batch.RoundId, participant);
        return true;
    }
}
