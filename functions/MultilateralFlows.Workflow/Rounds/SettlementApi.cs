using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Participants;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds;

/// <summary>The body of <c>POST /api/rounds/{id}/items/{itemId}/settlement</c>.</summary>
public sealed class SettlementRequest
{
    /// <summary><c>Consensus</c>, <c>Compromise</c>, <c>Abstain</c>, <c>LeadEntity</c> or <c>NoPosition</c>.</summary>
    public string? How { get; set; }

    /// <summary>The agreed text: required for a compromise; for a consensus without one, the item's draft text stands.</summary>
    public string? Text { get; set; }

    /// <summary>For <c>LeadEntity</c> only: the participant of the round that speaks on the item.</summary>
    public string? LeadEntity { get; set; }

    public string? Comments { get; set; }

    /// <summary>Optional: the draft version looked at; refused if a newer draft exists.</summary>
    public int? Version { get; set; }
}

/// <summary>A settlement accepted: stored, and handed to the round, whose next draft shows it.</summary>
public sealed record SettlementAccepted(string Id, string ItemId, ItemSettlement Settlement, string StatusUrl, string PositionUrl);

/// <summary>
/// <c>POST /api/rounds/{id}/items/{itemId}/settlement</c>: the coordinator records how an item of a round in review is
/// settled (the agreed text, and how it was reached), replacing any earlier settlement of it. The settlement is stored
/// with its audit entry, then the round is signalled and assembles a draft that shows it. A divergent item must be
/// settled (or reopened) before the position can be approved.
/// </summary>
public sealed class SettlementApi(RoundStore rounds, SettlementStore settlements, ParticipantDirectory directory, CoordinatorSignIn signIn, ILogger<SettlementApi> logger)
{
    /// <summary>As long as a reply's remarks, so a settled text of a SOIA round fits in Flanders' reply to COORMULTI.</summary>
    public const int MaxTextLength = ReplySubmission.MaxRemarksLength;

    /// <summary><c>POST /api/rounds/{id}/items/{itemId}/settlement</c> with <c>{"how","text"?,"leadEntity"?,"comments"?,"version"?}</c>.</summary>
    public async Task<IResult> SettleAsync(
        string id, string itemId, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, itemIndex, refusal) = await FindItemInReviewAsync(id, itemId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (acting, notNamed) = signIn.ForApi(request);
        if (notNamed is not null)
        {
            return notNamed;
        }

        var (body, problem) = await RoundActionsApi.ReadAsync<SettlementRequest>(request, required: true, cancellationToken);
        return problem ?? await SettleAsync(round!, itemIndex, body!, acting!, client, cancellationToken);
    }

    /// <summary>Settles an item as <paramref name="acting"/> records it: the JSON route and the console's form alike.</summary>
    public async Task<IResult> SettleAsync(
        string id, string itemId, SettlementRequest body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, itemIndex, refusal) = await FindItemInReviewAsync(id, itemId, cancellationToken);
        return refusal ?? await SettleAsync(round!, itemIndex, body, acting, client, cancellationToken);
    }

    async Task<(RoundRecord? Round, int ItemIndex, IResult? Refusal)> FindItemInReviewAsync(
        string id, string itemId, CancellationToken cancellationToken)
    {
        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return (null, -1, Problems.NotFound(RoundIds.IsValid(id) ? $"There is no round '{id}'." : "That is not a round id."));
        }

        var itemIndex = round.Definition.Items.ToList().FindIndex(i => string.Equals(i.Id, itemId, StringComparison.Ordinal));
        if (itemIndex < 0)
        {
            return (null, -1, Problems.NotFound($"Round {id} has no item '{itemId}'."));
        }

        return round.Phase != RoundPhase.Reviewing
            ? (null, -1, Problems.Conflict($"The round is {round.Phase}; items are settled while the position is in review."))
            : (round, itemIndex, null);
    }

    async Task<IResult> SettleAsync(
        RoundRecord round, int itemIndex, SettlementRequest body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var id = round.Definition.Id;
        var itemId = round.Definition.Items[itemIndex].Id;
        var (settlement, errors) = Validate(body, round.Definition, round.Definition.Items[itemIndex]);
        if (settlement is null)
        {
            return Problems.Invalid(errors);
        }

        if (body.Version is { } version && version != round.PositionVersion)
        {
            return Problems.Conflict($"Draft version {round.PositionVersion} is the latest; look at that one before settling.");
        }

        if (await RoundActionsApi.WorkflowNotRunningAsync(id, client, cancellationToken) is { } notRunning)
        {
            return notRunning;
        }

        var (how, text, lead, comments) = settlement.Value;
        var leadName = lead is null ? null : (await directory.GetAllAsync(cancellationToken)).GetValueOrDefault(lead)?.Name ?? lead;
        var saved = await settlements.SaveAsync(
            round, itemIndex, how, text, lead, leadName, comments, acting.ActorFor(round.Definition.CoordinatorEmail), cancellationToken);
        switch (saved.Outcome)
        {
            case SettleOutcome.NotInReview:
                return Problems.Conflict("The round is no longer in review; items are settled while the position is in review.");
            case SettleOutcome.ApprovalRequested:
                return Problems.Conflict("The position was approved and is being made final; nothing can be settled any more.");
        }

        // Signalled again for a settlement sent again: the round takes a signal once, and a lost one is made good.
        var stored = saved.Settlement!;
        await client.RaiseEventAsync(id, RoundSignal.EventName, RoundSignal.Settled(itemId, stored.SettledAt), cancellationToken);
        logger.LogInformation("Round {RoundId}: item {ItemId} settled ({How}), handed to the round", id, itemId, how);
        return Results.Json(
            new SettlementAccepted(id, itemId, stored, $"/api/rounds/{id}", $"/api/rounds/{id}/position"),
            WorkflowJson.Options,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// What each way of settling takes: a compromise needs its text; a lead entity needs the participant who speaks, one
    /// of the round's and competent for the <paramref name="item"/> (an entity that does not count on the item cannot
    /// speak for the others on it); a lead entity goes with no other way. Texts are trimmed; blank means none.
    /// </summary>
    public static ((SettlementKind How, string? Text, string? LeadEntity, string? Comments)? Settlement, Dictionary<string, string[]> Errors)
        Validate(SettlementRequest body, RoundDefinition round, AgendaItem? item = null)
    {
        var errors = new Dictionary<string, string[]>();
        var how = Enum.GetValues<SettlementKind>()
            .Select(k => (SettlementKind?)k)
            .FirstOrDefault(k => string.Equals(k.ToString(), body.How?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (how is null)
        {
            errors["how"] = [$"Required: one of {string.Join(", ", Enum.GetNames<SettlementKind>())}."];
        }

        string? text = null;
        if (!string.IsNullOrWhiteSpace(body.Text))
        {
            var problems = new List<string>();
            text = RoundRequestValidator.CheckedText(body.Text.Trim(), "text", MaxTextLength, multiline: true, (_, message) => problems.Add(message));
            if (problems.Count > 0)
            {
                errors["text"] = [.. problems];
            }
        }
        else if (how == SettlementKind.Compromise)
        {
            errors["text"] = ["Required for a compromise: the compromise text."];
        }

        var lead = string.IsNullOrWhiteSpace(body.LeadEntity) ? null : body.LeadEntity.Trim();
        if (how == SettlementKind.LeadEntity && lead is null)
        {
            errors["leadEntity"] = ["Required for LeadEntity: the code of the participant that speaks on the item."];
        }
        else if (lead is not null && how is not null && how != SettlementKind.LeadEntity)
        {
            errors["leadEntity"] = ["Only with LeadEntity."];
        }
        else if (lead is not null && !round.Participants.Contains(lead, StringComparer.Ordinal))
        {
            errors["leadEntity"] = [$"Not a participant of this round; one of {string.Join(", ", round.Participants)}."];
        }
        else if (lead is not null && item is not null && !Competences.IsCompetent(item.Competence, lead))
        {
            errors["leadEntity"] = [$"'{lead}' is not competent for item {item.Id} ({item.Competence}); the lead is an entity competent for it."];
        }

        var comments = RoundActionsApi.CheckComments(body.Comments, errors);
        return errors.Count > 0 ? (null, errors) : ((how!.Value, text, lead, comments), errors);
    }
}
