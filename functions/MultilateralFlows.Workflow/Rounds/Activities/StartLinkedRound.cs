using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Participants;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Starts the SOIA round in which the Flemish policy areas agree Flanders' position for a COORMULTI round. The linked
/// round has a deterministic id (parent, "soia", iteration), so a retry finds it instead of starting a second one. Its
/// deadline falls before the parent's, leaving time to agree the position. Sub-orchestrations are not used: the local
/// host's storage path cannot run them (docs/architecture.md, "Linked rounds"); the rounds are linked by ids and events.
/// The linked round is Flanders' own: its coordinator is the Flemish coordination (see <see cref="SoiaCoordinator"/>), not
/// the COORMULTI secretariat, and so are its notices, its review and its approval.
/// </summary>
public sealed class StartLinkedRound(
    RoundStore rounds,
    RequestStore requests,
    AuditLog audit,
    ParticipantDirectory directory,
    IOptions<RoundOptions> options,
    TimeProvider time,
    ILogger<StartLinkedRound> logger)
    : IWorkflowClientActivity<LinkedRoundRequest, string>
{
    public static string LinkedRoundId(string parentRoundId, int iteration) => $"{parentRoundId}-soia-{iteration}";

    /// <summary>The parent's iteration a linked round was started for: the n of <c>…-soia-n</c> (1 for any other id).</summary>
    public static int LinkedIteration(string linkedRoundId) =>
        int.TryParse(linkedRoundId[(linkedRoundId.LastIndexOf('-') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;

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
            var flanders = await directory.FindAsync(RoundRouting.Flanders, cancellationToken);
            var coordinator = SoiaCoordinator(definition, flanders);
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
                CoordinatorEmail = coordinator,
                ParentRoundId = definition.Id,

                // Flanders' position goes into the COORMULTI round, not to the permanent representation: the parent's
                // final (Belgian) position is what goes there.
                PermanentRepresentation = [],
                SoiaCoordinatorEmail = null,

                // The Flemish coordination works in the directory's language for Flanders (Dutch), whatever the federal
                // coordinator reads.
                CoordinatorLanguage = flanders?.Language ?? definition.CoordinatorLanguage,
            };
            await rounds.CreateAsync(child, $"linked to COORMULTI round {definition.Id}, coordinator {coordinator}", cancellationToken);
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

    /// <summary>
    /// Who coordinates the linked SOIA round: the address the COORMULTI request named, else the directory's <c>flanders</c>
    /// entry (its first address: the Flemish Department of Foreign Affairs' coordination). Only where the directory has
    /// no address for Flanders does the COORMULTI coordinator keep it, rather than leave Flanders' round without one.
    /// </summary>
    public static string SoiaCoordinator(RoundDefinition parent, Participant? flanders) =>
        parent.SoiaCoordinatorEmail
        ?? flanders?.Emails.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e))
        ?? parent.CoordinatorEmail;
}
