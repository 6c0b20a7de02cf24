using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds;

/// <summary>A round as stored: the definition (with the current deadline) plus where it stands.</summary>
public sealed record RoundRecord(
    RoundDefinition Definition,
    RoundPhase Phase,
    int Iteration,
    IReadOnlyList<string> OpenItems,
    DateTimeOffset? CollectionClosedAt,
    int PositionVersion,
    DateTimeOffset? IterationOpenedAt = null)
{
    /// <summary>
    /// Whether a participant has answered in the current iteration: any reply in the first; in a reopened one, a reply
    /// after it opened (unknown for rounds reopened before that time was kept: then nobody counts as answered).
    /// </summary>
    public bool RepliedThisIteration(RequestRow request) => Iteration == 1
        ? request.LatestVersion > 0
        : IterationOpenedAt is { } opened && request.LastRepliedAt > opened;

    /// <summary>Whether participants answer this item in the current iteration (every item in the first).</summary>
    public bool IsOpen(string itemId) => OpenItems.Count == 0 || OpenItems.Contains(itemId);

    public bool IsActive => Phase is RoundPhase.Collecting or RoundPhase.Reviewing;
}

/// <summary>Which rounds to list.</summary>
/// <param name="DeadlineBefore">Only rounds whose deadline is before this instant.</param>
/// <param name="DeadlineFrom">Only rounds whose deadline is at or after this instant.</param>
/// <param name="CoordinatedBy">Only rounds this address coordinates, or coordinates the linked SOIA round of (any case).</param>
/// <param name="Search">Only rounds whose title or organisation contains this text (any case).</param>
public sealed record RoundFilter(
    RoundPhase? Phase, Procedure? Procedure, string? Organisation, int Top, string? ContinuationToken,
    DateTimeOffset? DeadlineBefore = null, DateTimeOffset? DeadlineFrom = null, string? CoordinatedBy = null, string? Search = null);
