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
/// path as a human reply. What reaches COORMULTI is Flanders' position, not the areas' answers: per item Flanders'
/// stance and Flanders' text, from the SOIA coordinator's settlement where there is one (<see cref="FlandersReply"/>);
/// the areas' own stances and remarks stay in the SOIA round. An item no area answered and nobody settled is left out
/// (it shows as no reply). Submitting the same answers again only signals the parent again, so a retry adds no version.
/// A position approved after the COORMULTI round closed its replies is not lost: it is held there for that round's
/// coordinator to accept or decline while the draft is in review, and they are told; if that round has already ended, the
/// SOIA coordinator is told it came too late.
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

        var replies = FlandersReplies(position);
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

    internal static List<ItemReply> FlandersReplies(PositionDocument position) =>
        position.Items.Select(item => FlandersReply(position, item)).OfType<ItemReply>().ToList();

    /// <summary>
    /// Flanders' answer on one item of its approved SOIA position, or null when there is none to give. Settled: the
    /// settled text, with the stance the settlement means (a consensus or compromise agrees, with the text as its
    /// remarks; abstaining or taking no position neither agrees nor blocks, so it is <c>NotCompetent</c> saying which;
    /// a lead policy area gives its own stance, with the settled text or else its own remarks). Not settled (the
    /// approval allows that only for an item nobody objects to): the most restrictive of the areas' stances; where an
    /// area agreed with remarks, the reply agrees with remarks saying that the areas' remarks were not made one Flemish
    /// text and where they are, rather than carry one area's words up as Flanders'.
    /// </summary>
    internal static ItemReply? FlandersReply(PositionDocument position, PositionItem item)
    {
        var answered = item.Stances.Where(s => s.Stance != PositionStance.NoReply).ToList();
        if (item.Settlement is { } settled)
        {
            var text = settled.Text;
            return settled.How switch
            {
                SettlementKind.Consensus or SettlementKind.Compromise when text is not null => new(item.ItemId, Stance.AgreeWithRemarks, text),
                SettlementKind.Consensus or SettlementKind.Compromise => new(item.ItemId, Stance.Agree, null),
                SettlementKind.Abstain => new(item.ItemId, Stance.NotCompetent, Sentences("Flanders abstains on this item.", text)),
                SettlementKind.NoPosition => new(item.ItemId, Stance.NotCompetent, Sentences("Flanders takes no position on this item.", text)),
                _ => LeadReply(item, settled, answered.FirstOrDefault(s => s.Participant == settled.LeadEntity)),
            };
        }

        if (answered.Count == 0)
        {
            return null;
        }

        var stance = PositionAssembler.MostRestrictive(answered.Select(s => s.Stance.AsReply()));
        return stance is Stance.Agree or Stance.NotCompetent
            ? new(item.ItemId, stance, null)
            : new(item.ItemId, stance, string.Create(
                CultureInfo.InvariantCulture,
                $"The Flemish policy areas' remarks on this item were not settled into one Flemish text: they are in Flanders' "
                + $"position, SOIA round {position.RoundId}, version {position.Version}."));
    }

    /// <summary>
    /// The lead policy area speaks for Flanders: its stance (agreeing where it gave none), with the settled text or its
    /// own remarks.
    /// </summary>
    static ItemReply LeadReply(PositionItem item, ItemSettlement settled, ParticipantStance? lead)
    {
        var stance = lead is { Stance: not PositionStance.NotCompetent } ? lead.Stance.AsReply()
            : settled.Text is null ? Stance.Agree
            : Stance.AgreeWithRemarks;
        var speaks = $"{settled.LeadEntityName ?? settled.LeadEntity} ({settled.LeadEntity}) speaks for Flanders on this item.";
        return new(item.ItemId, stance, Sentences(speaks, settled.Text ?? lead?.Remarks));
    }

    static string Sentences(string first, string? then) => then is null ? first : $"{first}\n{then}";
}
