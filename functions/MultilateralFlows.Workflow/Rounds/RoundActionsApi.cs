using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds;

/// <summary>The body of <c>POST /api/rounds/{id}/deadline</c>.</summary>
public sealed class DeadlineRequest
{
    public string? Deadline { get; set; }
}

/// <summary>The body of <c>POST /api/rounds/{id}/review</c>.</summary>
public sealed class ReviewRequest
{
    public string? Decision { get; set; }
    public string? Comments { get; set; }

    /// <summary>For a reopening: the deadline of the next iteration (default: as long as this one had).</summary>
    public string? Deadline { get; set; }

    /// <summary>Optional: the draft version reviewed; refused if a newer draft exists.</summary>
    public int? Version { get; set; }
}

/// <summary>The body of <c>POST /api/rounds/{id}/cancel</c> (optional).</summary>
public sealed class CancelRoundRequest
{
    public string? Reason { get; set; }
}

/// <summary>What the coordinator asked for, accepted for the round to act on.</summary>
public sealed record ActionAccepted(string Id, string Action, string StatusUrl);

/// <summary>
/// The coordinator's actions on a running round: move the deadline, remind, review, cancel. Each checks that the round
/// is in a state where the action makes sense (409 otherwise), then hands it to the round as a signal (202): the round
/// itself decides and records the effect, so an action racing the deadline has one deterministic outcome.
/// </summary>
public sealed class RoundActionsApi(
    RoundStore rounds,
    RequestStore requests,
    SettlementStore settlements,
    AuditLog auditLog,
    PositionStore positions,
    TimeProvider time,
    CoordinatorSignIn signIn,
    ILogger<RoundActionsApi> logger)
{
    public const int MaxActionBytes = 16 * 1024;
    public const int MaxCommentsLength = 4_000;

    /// <summary><c>POST /api/rounds/{id}/deadline</c> with <c>{"deadline"}</c>.</summary>
    public async Task<IResult> MoveDeadlineAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindOpenForRepliesAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (acting, notNamed) = signIn.ForApi(request);
        if (notNamed is not null)
        {
            return notNamed;
        }

        var (body, problem) = await ReadAsync<DeadlineRequest>(request, required: true, cancellationToken);
        return problem ?? await MoveDeadlineAsync(round!, body!, acting!, client, cancellationToken);
    }

    /// <summary>Moves the deadline as <paramref name="acting"/> asks: the JSON route and the console's form alike.</summary>
    public async Task<IResult> MoveDeadlineAsync(
        string id, DeadlineRequest body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindOpenForRepliesAsync(id, cancellationToken);
        return refusal ?? await MoveDeadlineAsync(round!, body, acting, client, cancellationToken);
    }

    async Task<IResult> MoveDeadlineAsync(
        RoundRecord round, DeadlineRequest body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var deadline = RoundRequestValidator.ValidateDeadline(body.Deadline, time.GetUtcNow(), (_, message) => errors.Add(message));
        if (deadline is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["deadline"] = [.. errors] });
        }

        return await SignalAsync(
            round, RoundSignal.MoveDeadline(deadline.Value), acting, "deadline", $"Deadline move to {deadline:O} requested.", client,
            cancellationToken);
    }

    /// <summary><c>POST /api/rounds/{id}/reminders</c>: remind the participants who have not replied.</summary>
    public async Task<IResult> RemindAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindOpenForRepliesAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (acting, notNamed) = signIn.ForApi(request);
        return notNamed ?? await RemindAsync(round!, acting!, client, cancellationToken);
    }

    /// <summary>Reminds the participants who have not replied, as <paramref name="acting"/> asks: the JSON route and the console's form alike.</summary>
    public async Task<IResult> RemindAsync(string id, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindOpenForRepliesAsync(id, cancellationToken);
        return refusal ?? await RemindAsync(round!, acting, client, cancellationToken);
    }

    async Task<IResult> RemindAsync(RoundRecord round, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        // Who has not answered this iteration (a reply to an earlier one does not count); the activity checks each again.
        var silent = SilentCount(round, await requests.ListAsync(round.Definition.Id, cancellationToken));
        if (silent == 0)
        {
            return Problems.Conflict("Everyone asked by e-mail has replied; there is nobody to remind.");
        }

        return await SignalAsync(
            round, RoundSignal.RemindNow(), acting, "reminders", $"Reminder to {silent} participant(s) requested.", client, cancellationToken);
    }

    /// <summary>How many participants asked by e-mail have not answered this iteration: whom a reminder would go to.</summary>
    public static int SilentCount(RoundRecord round, IReadOnlyList<RequestRow> requests) =>
        requests.Count(r => r.LinkedRoundId is null && !round.RepliedThisIteration(r));

    /// <summary><c>POST /api/rounds/{id}/review</c> with <c>{"decision":"approve"|"reopen","comments"?,"deadline"?,"version"?}</c>.</summary>
    public async Task<IResult> ReviewAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindInReviewAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (acting, notNamed) = signIn.ForApi(request);
        if (notNamed is not null)
        {
            return notNamed;
        }

        var (body, problem) = await ReadAsync<ReviewRequest>(request, required: true, cancellationToken);
        return problem ?? await ReviewAsync(round!, body!, acting!, client, cancellationToken);
    }

    /// <summary>Approves or reopens the draft as <paramref name="acting"/> decides: the JSON route and the console's form alike.</summary>
    public async Task<IResult> ReviewAsync(
        string id, ReviewRequest body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindInReviewAsync(id, cancellationToken);
        return refusal ?? await ReviewAsync(round!, body, acting, client, cancellationToken);
    }

    async Task<IResult> ReviewAsync(
        RoundRecord round, ReviewRequest body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var id = round.Definition.Id;
        var errors = new Dictionary<string, string[]>();
        var decision = body.Decision?.Trim().ToLowerInvariant() switch
        {
            "approve" => ReviewDecision.Approve,
            "reopen" => ReviewDecision.Reopen,
            _ => (ReviewDecision?)null,
        };
        if (decision is null)
        {
            errors["decision"] = ["Required: approve or reopen."];
        }

        var comments = CheckComments(body.Comments, errors);
        DateTimeOffset? reopenDeadline = null;
        if (body.Deadline is not null)
        {
            var deadlineErrors = new List<string>();
            reopenDeadline = RoundRequestValidator.ValidateDeadline(body.Deadline, time.GetUtcNow(), (_, message) => deadlineErrors.Add(message));
            if (decision == ReviewDecision.Approve)
            {
                deadlineErrors.Add("A deadline goes only with reopen.");
            }

            if (deadlineErrors.Count > 0)
            {
                errors["deadline"] = [.. deadlineErrors];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (body.Version is { } version && version != round.PositionVersion)
        {
            return Problems.Conflict($"Draft version {round.PositionVersion} is the latest; review that one.");
        }

        var draft = await positions.ReadDocumentAsync(id, round.PositionVersion, cancellationToken);
        if (decision == ReviewDecision.Reopen && await ReopenRefusalAsync(draft, id, cancellationToken) is { } nothingToReopen)
        {
            return Problems.Conflict(nothingToReopen);
        }

        var actor = acting.ActorFor(round.Definition.CoordinatorEmail);
        if (decision == ReviewDecision.Approve)
        {
            // Checked before replies close, so that a refusal leaves the round as it was; and again as the approval is
            // accepted, when no settlement can come after.
            if (SettlementRefusal(draft, await settlements.GetAllAsync(id, cancellationToken)) is { } unsettled)
            {
                return Problems.Conflict(unsettled);
            }

            if (await CloseForApprovalAsync(round, draft, actor, client, cancellationToken) is { } notNow)
            {
                return notNow;
            }

            if (await settlements.AcceptApprovalAsync(id, stored => SettlementRefusal(draft, stored), cancellationToken) is { } meanwhile)
            {
                return Problems.Conflict(meanwhile);
            }
        }

        var what = decision == ReviewDecision.Approve ? "Approval" : "Reopening of the divergent items";
        return await SignalAsync(
            round,
            RoundSignal.Review(decision!.Value, comments, reopenDeadline) with { Actor = actor },
            acting,
            "review",
            $"{what} of draft version {round.PositionVersion} requested.",
            client,
            cancellationToken);
    }

    /// <summary><c>POST /api/rounds/{id}/cancel</c>, optionally with <c>{"reason"}</c>.</summary>
    public async Task<IResult> CancelAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindActiveAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var (acting, notNamed) = signIn.ForApi(request);
        if (notNamed is not null)
        {
            return notNamed;
        }

        var (body, problem) = await ReadAsync<CancelRoundRequest>(request, required: false, cancellationToken);
        return problem ?? await CancelAsync(round!, body, acting!, client, cancellationToken);
    }

    /// <summary>Cancels the round as <paramref name="acting"/> asks: the JSON route and the console's form alike.</summary>
    public async Task<IResult> CancelAsync(
        string id, CancelRoundRequest? body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindActiveAsync(id, cancellationToken);
        return refusal ?? await CancelAsync(round!, body, acting, client, cancellationToken);
    }

    async Task<IResult> CancelAsync(
        RoundRecord round, CancelRoundRequest? body, ActingCoordinator acting, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = CheckComments(body?.Reason, errors, "reason");
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return await SignalAsync(
            round,
            RoundSignal.Cancel(reason),
            acting,
            "cancel",
            string.IsNullOrEmpty(reason) ? "Cancellation requested." : $"Cancellation requested: {reason}",
            client,
            cancellationToken);
    }

    /// <summary>
    /// Before an approval is accepted, replies close, so that what becomes final is exactly the draft the coordinator
    /// reviewed: refused (409) when that draft is not built from every reply stored, before closing (replies stay open;
    /// the next draft is on its way) or just after (a reply landed in between; replies are closed, so the next draft,
    /// on its way, is the last). A reply that comes after the approval is refused as closed. <paramref name="draft"/> is
    /// the round's latest draft, as the review read it. Null: approve.
    /// </summary>
    async Task<IResult?> CloseForApprovalAsync(
        RoundRecord round, PositionDocument? draft, string actor, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var id = round.Definition.Id;
        if (await WorkflowNotRunningAsync(id, client, cancellationToken) is { } notRunning)
        {
            return notRunning;
        }

        if (NewerReplies(draft, await requests.ListAsync(id, cancellationToken)) is { Count: > 0 } before)
        {
            return Problems.Conflict(
                $"Draft version {round.PositionVersion} does not hold the latest replies of "
                + $"{string.Join(", ", before)}: a new draft is on its way; review that one.");
        }

        if (NewerReplies(draft, await requests.CloseCollectionAsync(id, cancellationToken)) is { Count: > 0 } meanwhile)
        {
            await auditLog.AppendAsync(
                id, "ApprovalRefused", actor,
                $"Replies closed for approval; draft version {round.PositionVersion} lacks the latest of {string.Join(", ", meanwhile)}.",
                cancellationToken);
            return Problems.Conflict(
                $"A reply of {string.Join(", ", meanwhile)} came in as you approved. "
                + "Replies are now closed; the draft with it is on its way: review that one.");
        }

        return null;
    }

    /// <summary>
    /// The participants whose latest stored reply is newer than the one the draft was built from (none for a draft from
    /// before versions were kept).
    /// </summary>
    static List<string> NewerReplies(PositionDocument? draft, IReadOnlyList<RequestRow> requests) =>
        draft?.ReplyVersions is { } used
            ? requests.Where(r => r.LatestVersion > used.GetValueOrDefault(r.Participant)).Select(r => r.Participant).ToList()
            : [];

    /// <summary>
    /// A round whose workflow is not running (stored, but the host stopped before starting it) would silently discard
    /// an event: say so rather than accept what nothing will act on.
    /// </summary>
    internal static async Task<IResult?> WorkflowNotRunningAsync(string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(id, cancellationToken) is null or { IsCompleted: true }
            ? Problems.Conflict("This round's workflow is not running, so nothing can act on this request.")
            : null;

    /// <summary>Hands the signal to the round; the audit names <paramref name="acting"/> (see <see cref="ActingCoordinator"/>).</summary>
    async Task<IResult> SignalAsync(
        RoundRecord round,
        RoundSignal signal,
        ActingCoordinator acting,
        string action,
        string audit,
        DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var id = round.Definition.Id;
        if (await WorkflowNotRunningAsync(id, client, cancellationToken) is { } notRunning)
        {
            return notRunning;
        }

        var actor = acting.ActorFor(round.Definition.CoordinatorEmail);
        await auditLog.AppendAsync(id, $"{signal.Kind}Requested", actor, audit, cancellationToken);
        await client.RaiseEventAsync(id, RoundSignal.EventName, signal, cancellationToken);
        logger.LogInformation("Round {RoundId}: {Action} handed to the round", id, action);
        return Results.Json(new ActionAccepted(id, action, $"/api/rounds/{id}"), WorkflowJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    async Task<(RoundRecord? Round, IResult? Refusal)> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return (null, Problems.NotFound(RoundIds.IsValid(id) ? $"There is no round '{id}'." : "That is not a round id."));
        }

        return (round, null);
    }

    async Task<(RoundRecord? Round, IResult? Refusal)> FindInReviewAsync(string id, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindAsync(id, cancellationToken);
        return refusal is null && round!.Phase != RoundPhase.Reviewing
            ? (null, Problems.Conflict($"The round is {round.Phase}; a position can be reviewed once it is in review."))
            : (round, refusal);
    }

    async Task<(RoundRecord? Round, IResult? Refusal)> FindActiveAsync(string id, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindAsync(id, cancellationToken);
        return refusal is null && !round!.IsActive ? (null, Problems.Conflict($"The round is already {round.Phase}.")) : (round, refusal);
    }

    async Task<(RoundRecord? Round, IResult? Refusal)> FindOpenForRepliesAsync(string id, CancellationToken cancellationToken)
    {
        var (round, refusal) = await FindAsync(id, cancellationToken);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        if (!round!.IsActive || round.CollectionClosedAt is not null)
        {
            return (null, Problems.Conflict(round.IsActive
                ? "Replies to this round are closed; reopen the divergent items in the review instead."
                : $"The round is {round.Phase}."));
        }

        return (round, null);
    }

    /// <summary>
    /// Why the draft cannot be approved as it stands, or null: a settlement is stored that the draft does not show yet
    /// (the draft with it is on its way), or a divergent item is not settled.
    /// </summary>
    internal static string? SettlementRefusal(PositionDocument? draft, IReadOnlyDictionary<string, ItemSettlement> stored)
    {
        if (draft is null)
        {
            return null;
        }

        var shown = draft.Items.Where(i => i.Settlement is not null).ToDictionary(i => i.ItemId, i => i.Settlement!, StringComparer.Ordinal);
        var newer = stored.Where(s => !Equals(shown.GetValueOrDefault(s.Key), s.Value)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        if (newer.Count > 0)
        {
            return $"Draft version {draft.Version} does not show the settlement of item(s) {string.Join(", ", newer)} yet: "
                + "the draft with it is on its way; review that one.";
        }

        var unsettled = draft.Items.Where(i => i.AwaitsSettlement).Select(i => i.ItemId).ToList();
        return unsettled.Count == 0
            ? null
            : $"Item(s) {string.Join(", ", unsettled)} of draft version {draft.Version} diverge and are not settled: settle each "
                + $"(POST /api/rounds/{draft.RoundId}/items/{{itemId}}/settlement) or reopen them, then approve.";
    }

    /// <summary>
    /// Why there is nothing to reopen, or null: a reopening takes the divergent items not settled, as the stored
    /// settlements stand (a draft showing the latest one may still be on its way: the round reassembles it first).
    /// </summary>
    async Task<string?> ReopenRefusalAsync(PositionDocument? draft, string id, CancellationToken cancellationToken)
    {
        var divergent = draft?.Items.Where(i => i.Outcome == ItemOutcome.Divergence).Select(i => i.ItemId).ToList() ?? [];
        if (divergent.Count == 0)
        {
            return "There is consensus on every item: nothing to reopen. Approve the position instead.";
        }

        var stored = await settlements.GetAllAsync(id, cancellationToken);
        return divergent.All(stored.ContainsKey)
            ? "Every divergent item is settled: nothing to reopen. Approve the position instead."
            : null;
    }

    internal static string? CheckComments(string? value, Dictionary<string, string[]> errors, string field = "comments")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var problems = new List<string>();
        var text = RoundRequestValidator.CheckedText(value.Trim(), field, MaxCommentsLength, multiline: true, (_, message) => problems.Add(message));
        if (problems.Count > 0)
        {
            errors[field] = [.. problems];
        }

        return text;
    }

    internal static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, bool required, CancellationToken cancellationToken)
        where T : class
    {
        if (!required && (request.ContentLength ?? 0) == 0 && request.ContentType is null)
        {
            return (null, null);
        }

        if (!RequestBody.IsJson(request))
        {
            return (null, Problems.UnsupportedMediaType("application/json"));
        }

        var body = await RequestBody.ReadTextAsync(request, MaxActionBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return (null, body.Problem);
        }

        if (!required && string.IsNullOrWhiteSpace(body.Text))
        {
            return (null, null);
        }

        return RequestBody.ParseJson<T>(body.Text!);
    }
}
