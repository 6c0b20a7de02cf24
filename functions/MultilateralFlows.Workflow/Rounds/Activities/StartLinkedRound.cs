using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Starts the SOIA round in which the Flemish policy areas agree Flanders' position for a COORMULTI round. The linked
/// round has a deterministic id (parent, "soia", iteration), so a retry finds it instead of starting a second one. Its
/// deadline falls before the parent's, leaving time to agree the position. Sub-orchestrations are not used: the local
/// host's storage path cannot run them (docs/architecture.md, "Linked rounds"); the rounds are linked by ids and events.
/// </summary>
public sealed class StartLinkedRound(
    RoundStore rounds, RequestStore requests, AuditLog audit, IOptions<RoundOptions> options, TimeProvider time, ILogger<StartLinkedRound> logger)
    : IWorkflowClientActivity<LinkedRoundRequest, string>
{
    public static string LinkedRoundId(string parentRoundId, int iteration) => $"{parentRoundId}-soia-{iteration}";

    public async Task<string> RunAsync(LinkedRoundRequest input, DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        var childId = LinkedRoundId(input.ParentRoundId, input.Iteration);
        var parent = await rounds.GetAsync(input.ParentRoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.ParentRoundId} is not stored.");

        if (await rounds.GetAsync(childId, cancellationToken) is null)
        {
            var definition = parent.Definition;
            var now = time.GetUtcNow();
            var lead = TimeSpan.FromTicks(Math.Min(options.Value.LinkedRoundLead.Ticks, (definition.Deadline - now).Ticks / 4));
            var child = definition with
            {
                Id = childId,
                Procedure = Procedure.SOIA,
                Title = $"{definition.Title} — Flemish coordination (SOIA)",
                Items = RoundRouting.FlandersItems(definition, parent.IsOpen),
                Participants = definition.FlemishPolicyAreas,
                FlemishPolicyAreas = [],
                Deadline = definition.Deadline - lead,
                CreatedAt = now,
                ParentRoundId = definition.Id,
            };
            await rounds.CreateAsync(child, $"linked to COORMULTI round {definition.Id}", cancellationToken);
        }

        await requests.SetLinkedRoundAsync(input.ParentRoundId, RoundRouting.Flanders, childId, cancellationToken);
        if (await client.GetInstanceAsync(childId, getInputsAndOutputs: false, cancellationToken) is null)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ConsultationRound), new RoundInput(childId), new StartOrchestrationOptions(childId), cancellationToken);
            await audit.AppendAsync(input.ParentRoundId, "LinkedRoundStarted", "workflow",
                $"Flanders agrees its position in SOIA round {childId}.", cancellationToken);
            logger.LogInformation("Round {RoundId}: linked SOIA round {LinkedRoundId} started", input.ParentRoundId, childId);
        }

        return childId;
    }
}
