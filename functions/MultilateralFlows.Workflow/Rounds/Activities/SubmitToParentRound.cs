using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Submits the approved position of a linked SOIA round as Flanders' reply in its COORMULTI round, through the same
/// path as a human reply. Per item, Flanders' stance is the most restrictive of the areas' stances, and each area that
/// answered is a contributor with its own stance and remarks (never joined into one text, where one area's words could
/// be made to look like another's); an item no area answered is left out (it shows as no reply). Submitting the same
/// answers again only signals the parent again, so a retry adds no version. Each area may write up to
/// <see cref="ReplySubmission.MaxRemarksLength"/> characters per item, so together they can outgrow what one stored
/// reply holds (<see cref="ContributionRow.MaxContributorsLength"/>): then the longest remarks reach the parent cut,
/// saying so and where the whole text is (the SOIA round's final position, which keeps it all), and the SOIA round's
/// audit names the items. A position approved after the COORMULTI round closed its replies is not lost: it is held there
/// for that round's coordinator to accept or decline while the draft is in review, and they are told; if that round has
/// already ended, the SOIA coordinator is told it came too late.
/// </summary>
public sealed class SubmitToParentRound(
    RoundStore rounds,
    RequestStore requests,
    ContributionStore contributions,
    AuditLog audit,
    PositionStore positions,
    ReplyRecorder recorder,
    LateContributionStore late,
    CoordinatorNotices notices,
    ILogger<SubmitToParentRound> logger)
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

        var whole = FlandersReplies(position);
        var perItem = MaxLengthPerItem(whole.Count);
        var replies = whole
            .Select(r => r with { Contributors = WithinLimit(r.Contributors!, perItem, input.RoundId, child.PositionVersion) })
            .ToList();
        var cut = whole.Zip(replies).Where(pair => !pair.First.Equals(pair.Second)).Select(pair => pair.First.ItemId).ToList();
        var request = await requests.GetAsync(parentId, RoundRouting.Flanders, cancellationToken);
        var last = request is { LatestVersion: > 0 }
            ? await contributions.GetAsync(parentId, RoundRouting.Flanders, request.LatestVersion, cancellationToken)
            : null;
        if (last is not null && last.Items.SequenceEqual(replies))
        {
            await recorder.SignalAsync(client, parentId, RoundRouting.Flanders, last.Version, cancellationToken);
            return true;
        }

        var saved = await recorder.RecordAsync(
            parent, RoundRouting.Flanders, replies, $"linked SOIA round {input.RoundId}", client, cancellationToken);
        var detail = saved.Outcome switch
        {
            SaveOutcome.Saved => $"Flanders' position submitted to COORMULTI round {parentId} as version {saved.Version}.",
            SaveOutcome.Closed => await LateAsync(child, replies, cancellationToken),
            _ => $"Flanders' position could not be submitted to COORMULTI round {parentId}: {saved.Outcome}.",
        };
        if (cut.Count > 0)
        {
            detail += string.Create(
                CultureInfo.InvariantCulture,
                $" The remarks on item(s) {string.Join(", ", cut)} were longer than a reply holds ({perItem:N0} characters per item): ") +
                "the COORMULTI round has the beginning of the longest and a pointer to this round's final position, which has them whole.";
        }

        await audit.AppendAsync(input.RoundId, "SubmittedToParentRound", "workflow", detail, cancellationToken);
        logger.LogInformation("Round {RoundId}: {Detail}", input.RoundId, detail);
        return saved.Outcome == SaveOutcome.Saved;
    }

    /// <summary>
    /// The COORMULTI round had closed its replies. While it is still open for review, Flanders' position is held there
    /// and its coordinator told (each once, however often this runs); once it has ended, the SOIA coordinator is told that
    /// the position came too late. Returns what the SOIA round's audit says.
    /// </summary>
    async Task<string> LateAsync(RoundRecord child, IReadOnlyList<ItemReply> replies, CancellationToken cancellationToken)
    {
        var parentId = child.Definition.ParentRoundId!;
        // Read again: the round may have ended since it refused the reply.
        var parent = await rounds.GetAsync(parentId, cancellationToken) ?? throw new InvalidOperationException($"Round {parentId} is not stored.");
        if (!parent.IsActive)
        {
            await notices.SendTooLateAsync(child.Definition, parent.Definition, child.PositionVersion, cancellationToken);
            return $"Flanders' position came after COORMULTI round {parentId} had ended ({parent.Phase}); it was not submitted, "
                + "and this round's coordinator was told.";
        }

        await late.HoldAsync(parent, RoundRouting.Flanders, replies, child.Definition.Id, child.PositionVersion, cancellationToken);
        await notices.SendLateContributionAsync(
            parent.Definition, child.Definition, StartLinkedRound.LinkedIteration(child.Definition.Id), cancellationToken);
        return $"Flanders' position came after COORMULTI round {parentId} closed its replies; it is held there for its coordinator "
            + "to accept or decline while the draft is in review, and they were told.";
    }

    /// <summary>
    /// How many characters the contributors of one item may take as stored: what a row's property holds
    /// (<see cref="ContributionRow.MaxContributorsLength"/>), and less when there are many items, so that the whole
    /// reply, written in one table transaction, stays under the 4 MiB a transaction takes even where a character takes
    /// three bytes on the wire.
    /// </summary>
    internal static int MaxLengthPerItem(int items) => Math.Min(ContributionRow.MaxContributorsLength, 1_000_000 / Math.Max(1, items));

    /// <summary>
    /// The contributors as they are, or with the longest remarks cut to one length, the most that fits in
    /// <paramref name="maxLength"/> characters as stored, each saying what is left out and where it is: short remarks
    /// stay whole, and no area loses more than another that wrote as much.
    /// </summary>
    internal static IReadOnlyList<ParticipantStance> WithinLimit(
        IReadOnlyList<ParticipantStance> contributors, int maxLength, string soiaRoundId, int positionVersion)
    {
        if (Fits(contributors))
        {
            return contributors;
        }

        // Found by halving, measured as stored: how much longer a text gets as JSON depends on its characters.
        var (fitting, tooLong) = (0, contributors.Max(c => c.Remarks?.Length ?? 0));
        var fitted = CutTo(fitting);
        if (!Fits(fitted))
        {
            throw new InvalidOperationException($"Round {soiaRoundId}: the contributors do not fit in a stored reply even without their remarks.");
        }

        while (tooLong - fitting > 1)
        {
            var middle = fitting + ((tooLong - fitting) / 2);
            var candidate = CutTo(middle);
            (fitting, tooLong, fitted) = Fits(candidate) ? (middle, tooLong, candidate) : (fitting, middle, fitted);
        }

        return fitted;

        bool Fits(IReadOnlyList<ParticipantStance> stances) => ContributionRow.ContributorsAsStored(stances).Length <= maxLength;

        List<ParticipantStance> CutTo(int keep) => contributors.Select(c => c with { Remarks = Cut(c.Remarks, keep) }).ToList();

        string? Cut(string? remarks, int keep)
        {
            if (remarks is null || remarks.Length <= keep)
            {
                return remarks;
            }

            // A character outside the BMP is not split.
            keep -= keep > 0 && char.IsHighSurrogate(remarks[keep - 1]) ? 1 : 0;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{remarks[..keep]}\n[… {remarks.Length - keep:N0} more characters: the whole text is in Flanders' position, SOIA round "
                + $"{soiaRoundId}, version {positionVersion}]");
        }
    }

    static List<ItemReply> FlandersReplies(PositionDocument position) =>
        position.Items
            .Select(item => (item, answered: item.Stances.Where(s => s.Stance != PositionStance.NoReply).ToList()))
            .Where(x => x.answered.Count > 0)
            .Select(x => new ItemReply(
                x.item.ItemId,
                PositionAssembler.MostRestrictive(x.answered.Select(s => s.Stance.AsReply())),
                Remarks: null,
                Contributors: x.answered))
            .ToList();
}
