using Microsoft.Extensions.Logging;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Sends the receipt of each participant's latest stored reply if it has none yet. A reply is stored before the round
/// is told of it, so a host that dies in between leaves a reply the round never heard of: it is in the position
/// (consolidation reads what is stored), and this makes sure its author is still told it arrived. Earlier versions
/// without a receipt were superseded while a receipt was on its way (the round sends one for a burst): the receipt of
/// the latest says what counts. Runs when replies close; in the usual case every receipt is settled already and it
/// costs three queries (requests, stored versions, settled receipts).
/// </summary>
public sealed class SendMissingReceipts(
    RequestStore requests, ContributionStore contributions, SendLedgerStore ledger, SendEmails sendEmails, ILogger<SendMissingReceipts> logger)
    : IWorkflowActivity<RoundInput, int>
{
    public async Task<int> RunAsync(RoundInput input, CancellationToken cancellationToken = default)
    {
        var emailed = (await requests.ListAsync(input.RoundId, cancellationToken))
            .Where(r => r.LinkedRoundId is null)
            .Select(r => r.Participant)
            .ToHashSet(StringComparer.Ordinal);
        var stored = await contributions.GetStoredVersionsAsync(input.RoundId, cancellationToken);
        var settled = await ledger.GetSettledAsync(input.RoundId, MessageKind.Receipt, cancellationToken);
        var sent = 0;
        // Receipts still on their way (claimed, not settled) go to SendEmails too: its ledger waits for them or takes them over.
        foreach (var byVersion in stored
            .Where(p => emailed.Contains(p.Key))
            .Select(p => (Participant: p.Key, Version: p.Value.Max()))
            .Where(r => !settled.Contains(EmailKey.ForParticipant(input.RoundId, r.Participant, MessageKind.Receipt, r.Version)))
            .GroupBy(r => r.Version))
        {
            sent += await sendEmails.RunAsync(
                EmailBatch.Receipts(input.RoundId, byVersion.Key, byVersion.Select(r => r.Participant).Order(StringComparer.Ordinal).ToList()),
                cancellationToken);
        }

        if (sent > 0)
        {
            logger.LogWarning("Round {RoundId}: {ReceiptCount} receipt(s) of replies the round had not heard of were sent", input.RoundId, sent);
        }

        return sent;
    }
}
