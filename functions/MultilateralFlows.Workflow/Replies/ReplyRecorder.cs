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
public sealed class ReplyRecorder(ContributionStore contributions, ILogger<ReplyRecorder> logger)
{
    public Task<SaveContributionResult> RecordAsync(
        RoundRecord round,
        string participant,
        IReadOnlyList<ItemReply> replies,
        string actor,
        DurableTaskClient client,
        CancellationToken cancellationToken) =>
        RecordAsync(round, participant, replies, actor, knownRequest: null, client, cancellationToken);

    /// <param name="knownRequest">The participant's request row, if the caller has just read it: saves reading it again.</param>
    public async Task<SaveContributionResult> RecordAsync(
        RoundRecord round,
        string participant,
        IReadOnlyList<ItemReply> replies,
        string actor,
        RequestRow? knownRequest,
        DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var saved = await contributions.SaveAsync(round, participant, replies, actor, knownRequest, cancellationToken);
        if (saved.Outcome == SaveOutcome.Saved)
        {
            await SignalAsync(client, round.Definition.Id, participant, saved.Version, cancellationToken);
            logger.LogInformation("Round {RoundId}: reply version {Version} from {Participant}", round.Definition.Id, saved.Version, participant);
        }

        return saved;
    }

    /// <summary>
    /// Tells the round a reply arrived, trying a few times over a couple of seconds. The reply is already stored, so a
    /// failure loses nothing: the round reads every stored reply when it consolidates. But a round that is not told
    /// would not learn that everyone has answered until its deadline, days away, so a signal that cannot be raised is
    /// not swallowed: <see cref="RoundNotSignalledException"/> tells the caller (the participant: send it again; the
    /// linked round's activity: retry).
    /// </summary>
    public async Task SignalAsync(DurableTaskClient client, string roundId, string participant, int version, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.RaiseEventAsync(roundId, RoundSignal.EventName, RoundSignal.Reply(participant, version), cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt == SignalAttempts)
                {
                    logger.LogWarning(
                        e,
                        "Round {RoundId}: reply {Version} of {Participant} is stored but the round was not signalled",
                        roundId, version, participant);
                    throw new RoundNotSignalledException(roundId, participant, version, e);
                }

                await Task.Delay(SignalRetryDelay * attempt, cancellationToken);
            }
        }
    }

    const int SignalAttempts = 3;
    static readonly TimeSpan SignalRetryDelay = TimeSpan.FromMilliseconds(500);
}

/// <summary>A reply is stored as <see cref="Version"/>, but its round could not be told of it (the engine's storage did not answer).</summary>
public sealed class RoundNotSignalledException(string roundId, string participant, int version, Exception inner)
    : Exception($"Round {roundId}: reply {version} of {participant} is stored but the round could not be told of it.", inner)
{
    public int Version { get; } = version;
}
