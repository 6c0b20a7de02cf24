using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Replies;

/// <summary>
/// The participant's routes, <c>/api/reply/{token}</c>. The token is the only credential: an unknown, tampered or
/// truncated token gets the same answer, whichever part was wrong. The GET changes nothing.
/// </summary>
public sealed class ReplyApi(
    RoundStore rounds,
    RequestStore requests,
    ContributionStore contributions,
    ReplyTokens tokens,
    ReplyRecorder recorder,
    ParticipantDirectory directory)
{
    public const int MaxReplyBytes = 1024 * 1024;

    /// <summary>How long a participant whose reply could not be confirmed is asked to wait before sending it again.</summary>
    const int RetryAfterSeconds = 30;

    /// <summary>Who a valid token belongs to, with the round and the request row.</summary>
    /// <remarks><see cref="Directory"/>: for the name of an item's lead (the directory caches it for a minute).</remarks>
    sealed record Holder(RoundRecord Round, RequestRow Request, IReadOnlyDictionary<string, Participant> Directory)
    {
        public ReplyPageTexts Texts => ReplyPageTexts.For(Request.Language);

        /// <summary>The form shown again with what was typed, and why it was not recorded above it.</summary>
        public Task<HtmlPage> FormAgainAsync(
            int status, IReadOnlyDictionary<string, ItemReply> answers, int version, IReadOnlyDictionary<string, string[]> errors) =>
            ReplyPage.FormAsync(status, Round, Request.Name, answers, version, Texts, errors, Seat, Directory);

        /// <summary>The round participant this respondent answers for: itself, or Flanders for a Flemish policy area.</summary>
        public string Seat => Request.Represents ?? Request.Participant;

        public Task<HtmlPage> FormAgainAsync(int status, IReadOnlyDictionary<string, ItemReply> answers, int version, string message) =>
            FormAgainAsync(status, answers, version, new Dictionary<string, string[]> { ["items"] = [message] });
    }

    /// <summary><c>GET /api/reply/{token}</c>: the reply form, prefilled with the latest reply.</summary>
    public async Task<IResult> ShowFormAsync(string token, CancellationToken cancellationToken)
    {
        var holder = await FindHolderAsync(token, cancellationToken);
        if (holder is null)
        {
            return await ReplyPage.InvalidLinkAsync();
        }

        if (holder.Request.Closed)
        {
            return await ReplyPage.ClosedAsync(holder.Round.Definition, holder.Texts);
        }

        var latest = await LatestContributionAsync(holder, cancellationToken);
        return await ReplyPage.FormAsync(
            StatusCodes.Status200OK, holder.Round, holder.Request.Name, Answers(latest), latest?.Version ?? 0, holder.Texts,
            seat: holder.Seat, directory: holder.Directory);
    }

    /// <summary><c>POST /api/reply/{token}</c>: a form post (answered with a page) or JSON (answered with JSON).</summary>
    public async Task<IResult> SubmitAsync(string token, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var wantsPage = RequestBody.IsForm(request);
        SecurityHeaders.Apply(request.HttpContext.Response);
        var holder = await FindHolderAsync(token, cancellationToken);
        if (holder is null)
        {
            return wantsPage
                ? await ReplyPage.InvalidLinkAsync()
                : Problems.NotFound("This reply link is not valid.");
        }

        var round = holder.Round.Definition;
        if (holder.Request.Closed)
        {
            return await RoundClosedAsync(round, holder.Texts, wantsPage);
        }

        var (submitted, problem) = await ReplySubmission.ReadAsync(request, MaxReplyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        // The earlier answer stands for every item not sent again: needed only when not every item is.
        var answersEveryItem = round.Items.All(item => submitted!.Any(s => s?.ItemId == item.Id));
        var previous = answersEveryItem ? null : await LatestContributionAsync(holder, cancellationToken);
        var (replies, errors) = ReplySubmission.Validate(
            submitted!, round, previous, holder.Round.IsOpen, wantsPage ? holder.Texts : ReplyPageTexts.English);
        if (replies is null)
        {
            // The form shown again falls back on the earlier answer where what was sent does not parse.
            previous ??= await LatestContributionAsync(holder, cancellationToken);
            return wantsPage
                ? await holder.FormAgainAsync(StatusCodes.Status400BadRequest, SubmittedOverPrevious(submitted!, previous), previous?.Version ?? 0, errors)
                : Problems.Invalid(errors);
        }

        var participant = holder.Request.Participant;
        SaveContributionResult saved;
        try
        {
            saved = await recorder.RecordAsync(
                holder.Round, participant, replies, $"participant {participant}", holder.Request, client, cancellationToken);
        }
        catch (ContributionConflictException)
        {
            // Many submissions of this participant at once (a retrying client, repeated clicks): this one is not stored.
            if (!wantsPage)
            {
                return Problems.Conflict(ReplyPageTexts.English.SendAgain);
            }

            previous ??= await LatestContributionAsync(holder, cancellationToken);
            return await holder.FormAgainAsync(
                StatusCodes.Status409Conflict, SubmittedOverPrevious(submitted!, previous), previous?.Version ?? 0, holder.Texts.SendAgain);
        }
        catch (RoundNotSignalledException notSignalled)
        {
            // Stored, but the round does not know yet: the participant is not told "recorded" until it does. Sent again,
            // the same answer becomes the next version and reaches the round; the position keeps the latest.
            if (!wantsPage)
            {
                return Problems.ServiceUnavailable(ReplyPageTexts.English.NotConfirmed, "Not confirmed", RetryAfterSeconds);
            }

            return await holder.FormAgainAsync(StatusCodes.Status503ServiceUnavailable, ByItem(replies), notSignalled.Version, holder.Texts.NotConfirmed);
        }

        switch (saved.Outcome)
        {
            case SaveOutcome.Closed:
                return await RoundClosedAsync(round, holder.Texts, wantsPage);
            case SaveOutcome.UnknownRequest:
                return Problems.NotFound("This reply link is not valid.");
            case SaveOutcome.TooManyVersions:
                // A bound on what one link can make the round store and e-mail; the page keeps what was typed.
                return wantsPage
                    ? await holder.FormAgainAsync(
                        StatusCodes.Status409Conflict, ByItem(replies), saved.Version, holder.Texts.TooManyVersions(contributions.MaxVersions))
                    : Problems.Conflict(ReplyPageTexts.English.TooManyVersions(contributions.MaxVersions));
        }

        return wantsPage
            ? await ReplyPage.ConfirmationAsync(holder.Round, holder.Request.Name, saved.Version, saved.SubmittedAt, replies, holder.Texts)
            : Results.Json(new ReplyReceipt(round.Id, participant, saved.Version, saved.SubmittedAt, replies), WorkflowJson.Options);
    }

    async Task<Holder?> FindHolderAsync(string token, CancellationToken cancellationToken)
    {
        var access = await tokens.FindAsync(token, cancellationToken);
        if (access is null)
        {
            return null;
        }

        // The request row and the round at once: a reply waits for one round trip to storage here, not three.
        var requestRead = requests.GetAsync(access.RoundId, access.Participant, cancellationToken);
        var roundRead = rounds.GetAsync(access.RoundId, cancellationToken);
        var directoryRead = directory.GetAllAsync(cancellationToken);
        await Task.WhenAll(requestRead, roundRead, directoryRead);
        var request = await requestRead;
        if (request is null || !ReplyTokens.Matches(token, request.TokenHash))
        {
            return null;
        }

        tokens.Remember(token, access);

        return await roundRead is { } round ? new Holder(round, request, await directoryRead) : null;
    }

    // Only the latest version's rows: a participant who amended often does not make the next reply slower.
    async Task<Contribution?> LatestContributionAsync(Holder holder, CancellationToken cancellationToken) =>
        holder.Request.LatestVersion == 0
            ? null
            : await contributions.GetAsync(holder.Round.Definition.Id, holder.Request.Participant, holder.Request.LatestVersion, cancellationToken);

    static async Task<IResult> RoundClosedAsync(RoundDefinition round, ReplyPageTexts texts, bool wantsPage) =>
        wantsPage
            ? await ReplyPage.ClosedAsync(round, texts)
            : Problems.Gone("This consultation round is closed; replies are no longer accepted.");

    static Dictionary<string, ItemReply> Answers(Contribution? contribution) => ByItem(contribution?.Items ?? []);

    static Dictionary<string, ItemReply> ByItem(IEnumerable<ItemReply> answers) => answers.ToDictionary(i => i.ItemId, StringComparer.Ordinal);

    /// <summary>What to show again in a form that had errors: what was just typed where it parses, else the earlier answer.</summary>
    static Dictionary<string, ItemReply> SubmittedOverPrevious(IReadOnlyList<ReplyItemRequest?> submitted, Contribution? previous)
    {
        var answers = Answers(previous);
        foreach (var item in submitted.OfType<ReplyItemRequest>().Where(i => i.ItemId is not null))
        {
            var stance = Enum.TryParse<Stance>(item.Stance, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : answers.GetValueOrDefault(item.ItemId!)?.Stance;
            if (stance is { } known)
            {
                answers[item.ItemId!] = new ItemReply(item.ItemId!, known, item.Remarks);
            }
        }

        return answers;
    }
}

/// <summary>The JSON answer to a recorded reply.</summary>
public sealed record ReplyReceipt(string RoundId, string Participant, int Version, DateTimeOffset SubmittedAt, IReadOnlyList<ItemReply> Items);
