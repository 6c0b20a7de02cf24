using MultilateralFlows.Storage;

namespace MultilateralFlows.Replies;

/// <summary>What happened to a submitted reply.</summary>
public enum SaveOutcome
{
    Saved,
    UnknownRequest,
    Closed,

    /// <summary>The participant has sent the most versions a round takes (<see cref="ContributionStore.MaxVersions"/>): not stored.</summary>
    TooManyVersions,
}

public sealed record SaveContributionResult(SaveOutcome Outcome, int Version, DateTimeOffset SubmittedAt);

/// <summary>
/// So many replies for the same participant arrived at the same moment that this one did not get its turn: it is not
/// stored, and the sender should send it again.
/// </summary>
public sealed class ContributionConflictException(string roundId, string participant, Exception inner)
    : Exception($"Round {roundId}: the reply of {participant} lost every attempt to other replies written at the same moment.", inner);
