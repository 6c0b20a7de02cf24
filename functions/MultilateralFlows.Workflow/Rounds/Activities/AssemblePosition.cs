using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Participants;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Assembles the consolidated position from the latest contributions and stores it (Markdown, HTML, JSON) as the
/// requested version; the round moves to review. Running it again rewrites the same version.
/// </summary>
public sealed class AssemblePosition(
    RoundStore rounds,
    PositionStore positions,
    ParticipantDirectory directory,
    TimeProvider time,
    ILogger<AssemblePosition> logger) : IWorkflowActivity<ConsolidationRequest, int>
{
    public async Task<int> RunAsync(ConsolidationRequest input, CancellationToken cancellationToken = default)
    {
        var round = await rounds.GetAsync(input.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} is not stored.");
        var requests = await rounds.GetRequestsAsync(input.RoundId, cancellationToken);
        var contributions = await rounds.GetLatestContributionsAsync(input.RoundId, cancellationToken);
        var names = (await directory.GetAllAsync(cancellationToken)).ToDictionary(p => p.Key, p => p.Value.Name, StringComparer.Ordinal);

        var position = PositionAssembler.Assemble(
            round.Definition,
            requests.Select(r => new Respondent(r.Participant, r.Represents)).ToList(),
            contributions,
            names,
            input.Version,
            PositionStatus.Draft,
            time.GetUtcNow());
        await positions.SaveAsync(position, cancellationToken);
        await rounds.SetPhaseAsync(input.RoundId, RoundPhase.Reviewing, input.Version, cancellationToken);
        await rounds.AppendAuditAsync(input.RoundId, "PositionAssembled", "workflow",
            $"Draft version {input.Version}: {position.Items.Count(i => i.Outcome == ItemOutcome.Divergence)} divergent item(s) of {position.Items.Count}.", cancellationToken);
        logger.LogInformation("Round {RoundId}: position version {Version} assembled from {ContributionCount} contributions", input.RoundId, input.Version, contributions.Count);
        return input.Version;
    }
}
