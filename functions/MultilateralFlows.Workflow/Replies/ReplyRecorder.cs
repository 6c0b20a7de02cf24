using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Replies;

/// <summary>
/// The one path by which a reply enters a round, whether a desk officer sent it through the link or a linked SOIA
/// round submits Flanders' approved position: store it as the next version, then tell the round.
/// </summary>
public sealed class ReplyRecorder(RoundStore rounds, ILogger<ReplyRecorder> logger)
{
    public Task<SaveContributionResult> RecordAsync(
        RoundRecord round, string participant, IReadOnlyList<ItemReply> replies, string actor, DurableTaskClient client, CancellationToken cancellationToken) =>
        RecordAsync(round, participant, replies, actor, knownRequest: null, client, cancellationToken);

    /// <param name="knownRequest">The participant's request row, if the caller has just read it: saves reading it again.</param>
    public async Task<SaveContributionResult> RecordAsync(
        RoundRecord round, string participant, IReadOnlyList<ItemReply> replies, string actor, RequestRow? knownRequest, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var saved = await rounds.SaveContributionAsync(round, participant, replies, actor, knownRequest, cancellationToken);
        if (saved.Outcome == SaveOutcome.Saved)
        {
            await SignalAsync(client, round.Definition.Id, participant, saved.Version, cancellationToken);
            logger.LogInformation("Round {RoundId}: reply version {Version} from {Participant}", round.Definition.Id, saved.Version, participant);
        }

        return saved;
    }

    /// <summary>
    /// Tells the round a reply arrived. The reply is already stored, so a failure here loses nothing: the round reads
    /// every stored reply when it consolidates; it only would not learn early that everyone has answered.
    /// </summary>
    public async Task SignalAsync(DurableTaskClient client, string roundId, string participant, int version, CancellationToken cancellationToken)
    {
        try
        {
            await client.RaiseEventAsync(roundId, RoundSignal.EventName, RoundSignal.Reply(participant, version), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Round {RoundId}: reply {Version} of {Participant} is stored but the round was not signalled", roundId, version, participant);
        }
    }
}
