using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Participants;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Assembles the consolidated position from the latest contributions and stores it (Markdown, HTML, JSON) as the
/// requested version: a draft (the round moves to review) or the final position (the round is final), with the
/// coordinator's settlements of items. Running it again rewrites the same version from the same contributions and
/// settlements. What it reports as divergent is what a reopening takes: the divergent items not settled.
/// </summary>
public sealed class AssemblePosition(
    RoundStore rounds,
    RequestStore requestStore,
    ContributionStore contributionStore,
    SettlementStore settlementStore,
    AuditLog audit,
    PositionStore positions,
    ParticipantDirectory directory,
    TimeProvider time,
    ILogger<AssemblePosition> logger) : IWorkflowActivity<ConsolidationRequest, PositionSummary>
{
    public async Task<PositionSummary> RunAsync(ConsolidationRequest input, CancellationToken cancellationToken = default)
    {
        var round = await rounds.GetAsync(input.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} is not stored.");
        var requests = await requestStore.ListAsync(input.RoundId, cancellationToken);
        var contributions = await contributionStore.GetLatestAsync(input.RoundId, cancellationToken);
        var settlements = await settlementStore.GetAllAsync(input.RoundId, cancellationToken);
        var names = (await directory.GetAllAsync(cancellationToken)).ToDictionary(p => p.Key, p => p.Value.Name, StringComparer.Ordinal);

        var position = PositionAssembler.Assemble(
            round.Definition,
            requests.Select(r => new Respondent(r.Participant, r.Represents)).ToList(),
            contributions,
            names,
            input.Version,
            input.Final ? PositionStatus.Final : PositionStatus.Draft,
            time.GetUtcNow(),
            settlements);
        await positions.SaveAsync(position, cancellationToken);
        await rounds.SetPhaseAsync(input.RoundId, input.Final ? RoundPhase.Final : RoundPhase.Reviewing, input.Version, cancellationToken);

        var divergent = position.Items.Count(i => i.Outcome == ItemOutcome.Divergence);
        var toSettle = position.Items.Where(i => i.AwaitsSettlement).Select(i => i.ItemId).ToList();
        // The approval is the coordinator's act: the audit names who approved when the review said so.
        await audit.AppendAsync(input.RoundId, input.Final ? "PositionApproved" : "PositionAssembled", input.ApprovedBy ?? "workflow",
            $"{(input.Final ? "Final" : "Draft")} version {input.Version}: {divergent} divergent item(s) of {position.Items.Count}, "
            + $"{divergent - toSettle.Count} of them settled; {settlements.Count} item(s) settled in all.",
            cancellationToken);
        logger.LogInformation(
            "Round {RoundId}: position version {Version} assembled from {ContributionCount} contributions",
            input.RoundId, input.Version, contributions.Count);
        return new PositionSummary(input.Version, toSettle);
    }
}
