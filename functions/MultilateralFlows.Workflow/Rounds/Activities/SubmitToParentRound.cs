using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Submits the approved position of a linked SOIA round as Flanders' reply in its COORMULTI round, through the same
/// path as a human reply. Per item, Flanders' stance is the most restrictive of the areas' stances, with every remark
/// attributed; an item no area answered is left out (it shows as no reply). Submitting the same answers again only
/// signals the parent again, so a retry adds no version.
/// </summary>
public sealed class SubmitToParentRound(RoundStore rounds, PositionStore positions, ReplyRecorder recorder, ILogger<SubmitToParentRound> logger)
    : IWorkflowClientActivity<RoundInput, bool>
{
    public async Task<bool> RunAsync(RoundInput input, DurableTaskClient client, CancellationToken cancellationToken = default)
    {
        var child = await rounds.GetAsync(input.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} is not stored.");
        var parentId = child.Definition.ParentRoundId ?? throw new InvalidOperationException($"Round {input.RoundId} has no parent round.");
        var parent = await rounds.GetAsync(parentId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {parentId} is not stored.");
        var position = await positions.ReadDocumentAsync(input.RoundId, child.PositionVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} has no stored position version {child.PositionVersion}.");

        var replies = FlandersReplies(position);
        var request = await rounds.GetRequestAsync(parentId, RoundRouting.Flanders, cancellationToken);
        var last = request is { LatestVersion: > 0 }
            ? await rounds.GetContributionAsync(parentId, RoundRouting.Flanders, request.LatestVersion, cancellationToken)
            : null;
        if (last is not null && last.Items.SequenceEqual(replies))
        {
            await recorder.SignalAsync(client, parentId, RoundRouting.Flanders, last.Version, cancellationToken);
            return true;
        }

        var saved = await recorder.RecordAsync(parent, RoundRouting.Flanders, replies, $"linked SOIA round {input.RoundId}", client, cancellationToken);
        var detail = saved.Outcome == SaveOutcome.Saved
            ? $"Flanders' position submitted to COORMULTI round {parentId} as version {saved.Version}."
            : $"Flanders' position could not be submitted to COORMULTI round {parentId}: {saved.Outcome}.";
        await rounds.AppendAuditAsync(input.RoundId, "SubmittedToParentRound", "workflow", detail, cancellationToken);
        logger.LogInformation("Round {RoundId}: {Detail}", input.RoundId, detail);
        return saved.Outcome == SaveOutcome.Saved;
    }

    static List<ItemReply> FlandersReplies(PositionDocument position) =>
        position.Items
            .Select(item => (item, answered: item.Stances.Where(s => s.Stance != PositionStance.NoReply).ToList()))
            .Where(x => x.answered.Count > 0)
            .Select(x => new ItemReply(
                x.item.ItemId,
                PositionAssembler.MostRestrictive(x.answered.Select(s => Enum.Parse<Stance>(s.Stance.ToString()))),
                PositionAssembler.AttributedRemarks(x.answered)))
            .ToList();
}
