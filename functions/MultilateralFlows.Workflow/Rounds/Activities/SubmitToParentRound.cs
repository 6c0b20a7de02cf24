using System.Globalization;
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
/// signals the parent again, so a retry adds no version. Each area may write up to
/// <see cref="ReplySubmission.MaxRemarksLength"/> characters per item, so together they can outgrow what one stored
/// reply holds (<see cref="MaxRemarksLength"/>): such remarks reach the parent cut, saying so and where the whole text
/// is (the SOIA round's final position, which keeps it all), and the SOIA round's audit names the items.
/// </summary>
public sealed class SubmitToParentRound(RoundStore rounds, PositionStore positions, ReplyRecorder recorder, ILogger<SubmitToParentRound> logger)
    : IWorkflowClientActivity<RoundInput, bool>
{
    /// <summary>
    /// The most characters of Flanders' remarks per item the parent stores: a Table storage property holds 64 KiB, and
    /// a character takes two bytes there. With 20 items a reply then stays far under a transaction's 4 MiB.
    /// </summary>
    public const int MaxRemarksLength = 30_000;

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
        var cut = replies.Where(r => r.Remarks is { Length: > MaxRemarksLength }).Select(r => r.ItemId).ToList();
        replies = replies.Select(r => r with { Remarks = WithinLimit(r.Remarks, input.RoundId, child.PositionVersion) }).ToList();
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
        if (cut.Count > 0)
        {
            detail += string.Create(
                CultureInfo.InvariantCulture,
                $" The remarks on item(s) {string.Join(", ", cut)} were longer than a reply holds ({MaxRemarksLength:N0} characters): ") +
                "the COORMULTI round has their beginning and a pointer to this round's final position, which has them whole.";
        }

        await rounds.AppendAuditAsync(input.RoundId, "SubmittedToParentRound", "workflow", detail, cancellationToken);
        logger.LogInformation("Round {RoundId}: {Detail}", input.RoundId, detail);
        return saved.Outcome == SaveOutcome.Saved;
    }

    /// <summary>The remarks as they are, or cut to <see cref="MaxRemarksLength"/> with a note saying what is left out and where it is.</summary>
    internal static string? WithinLimit(string? remarks, string soiaRoundId, int positionVersion)
    {
        if (remarks is null || remarks.Length <= MaxRemarksLength)
        {
            return remarks;
        }

        // The note is well under 300 characters whatever the numbers in it; a character outside the BMP is not split.
        var kept = MaxRemarksLength - 300;
        kept -= char.IsHighSurrogate(remarks[kept - 1]) ? 1 : 0;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{remarks[..kept]}\n[… {remarks.Length - kept:N0} more characters: the whole text is in Flanders' position, SOIA round {soiaRoundId}, version {positionVersion}]");
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
