using System.Reflection;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using MultilateralFlows.Http;
using MultilateralFlows.Localization;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Pages.Console;

/// <summary>
/// The console's list of rounds and its start-a-round form, for signed-in coordinators. Both hosts call these handlers;
/// they read the request, call the same store and start path as the JSON API, and render a page.
/// </summary>
public sealed class ConsolePages(
    CoordinatorSignIn signIn,
    RoundIndexStore roundIndex,
    RoundsApi rounds,
    ParticipantDirectory directory,
    TimeProvider time,
    ILogger<ConsolePages> logger)
{
    /// <summary>
    /// How long a start waits for another post of the same form that is starting the round right now: as long as the key
    /// store takes a claim to be at work. By then the other post has started the round, or this one takes the key over.
    /// </summary>
    public static readonly TimeSpan WaitForConcurrentStart = StartKeyStore.AbandonedAfter + TimeSpan.FromSeconds(5);

    /// <summary><c>GET /api/console</c>: the console's home is the list of rounds.</summary>
    public static IResult Home(HttpRequest request) => Results.Redirect(ConsolePaths.Rounds + request.QueryString);

    /// <summary><c>GET /api/console/rounds</c>: the rounds, newest first, with the filters in the query.</summary>
    public async Task<IResult> RoundsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (person, refusal) = signIn.ForConsole(request, ConsolePaths.Rounds + request.QueryString);
        if (refusal is not null)
        {
            return refusal;
        }

        var texts = ConsoleLanguage.Choose(request);
        var query = RoundsQuery.Read(request.Query);
        var (filter, errors) = query.ToFilter(texts, person!.Email);
        IReadOnlyList<RoundSummary> found = [];
        string? next = null;
        if (filter is not null)
        {
            try
            {
                var (page, token) = await roundIndex.ListAsync(filter, cancellationToken);
                found = [.. page.Select(RoundSummary.From)];
                next = token is null ? null : query.Href(token);
            }
            catch (RequestFailedException e) when (e.Status == 400 && filter.ContinuationToken is not null)
            {
                errors["continuation"] = [texts["Rounds.BadContinuation"]];
            }
        }

        return await ComponentHtml.PageAsync<RoundsPage>(errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            [nameof(RoundsPage.Texts)] = texts,
            [nameof(RoundsPage.Person)] = person,
            [nameof(RoundsPage.Query)] = query,
            [nameof(RoundsPage.Rounds)] = found,
            [nameof(RoundsPage.NextHref)] = next,
            [nameof(RoundsPage.Errors)] = errors,
        }, allowScripts: true);
    }

    /// <summary><c>GET /api/console/rounds/new</c>: an empty form with its own idempotency key.</summary>
    public async Task<IResult> NewRoundAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (person, refusal) = signIn.ForConsole(request, ConsolePaths.NewRound);
        if (refusal is not null)
        {
            return refusal;
        }

        return await FormPageAsync(
            StatusCodes.Status200OK, ConsoleLanguage.Choose(request), person!, StartRoundForm.Blank(person!.Email), cancellationToken);
    }

    /// <summary>
    /// <c>POST /api/console/rounds/new</c> (form-encoded): add a row, preview, or start the round through the same
    /// validation and start as <c>POST /api/rounds</c>, the form's idempotency key as the start's; 303 to the round's page.
    /// </summary>
    public async Task<IResult> StartRoundAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        // A form that starts a round: only from the console's own pages (the session cookie is SameSite=Strict too).
        var (person, refusal) = signIn.ForConsoleForm(request, ConsolePaths.NewRound);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!RequestBody.IsForm(request))
        {
            return Problems.UnsupportedMediaType("application/x-www-form-urlencoded");
        }

        var body = await RequestBody.ReadTextAsync(request, RoundsApi.MaxRoundRequestBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!RequestBody.IsWellEncodedForm(body.Text!))
        {
            return Problems.BadRequest("The form holds an escape that is not UTF-8.");
        }

        var fields = QueryHelpers.ParseQuery(body.Text);
        var form = StartRoundForm.Read(fields.ToDictionary(f => f.Key, f => f.Value));
        var texts = ConsoleLanguage.Choose(request);
        switch (form.Action)
        {
            case StartRoundForm.AddItemAction:
                var added = form with { Items = [.. form.Items.Take(RoundRequestValidator.MaxItems - 1), new ItemRow()] };
                return await FormPageAsync(
                    StatusCodes.Status200OK, texts, person!, added, cancellationToken, focusId: $"item{added.Items.Count - 1}-title");
            case StartRoundForm.PreviewAction:
                var all = await directory.GetAllAsync(cancellationToken);
                var (round, errors) = RoundRequestValidator.Validate(form.ToRequest(), all, "preview", time.GetUtcNow());
                return round is null
                    ? await FormPageAsync(StatusCodes.Status400BadRequest, texts, person!, form, cancellationToken, form.FieldErrors(errors))
                    : await FormPageAsync(StatusCodes.Status200OK, texts, person!, form, cancellationToken, preview: RoundPreview.Of(round, all));
        }

        var started = await StartOnceAsync(form, person!, client, cancellationToken);
        switch (started.Outcome)
        {
            case RoundStartOutcome.Started:
            case RoundStartOutcome.Replayed:
                return new SeeOther(ConsolePaths.Round(started.RoundId!));
            case RoundStartOutcome.Invalid:
                return await FormPageAsync(
                    StatusCodes.Status400BadRequest, texts, person!, form, cancellationToken, form.FieldErrors(started.Errors!));
            case RoundStartOutcome.KeyUsedForAnotherRequest:
                // The form changed after it started a round: a new key, so that starting it now is a new round, knowingly.
                return await FormPageAsync(
                    StatusCodes.Status409Conflict, texts, person!, form with { IdempotencyKey = StartRoundForm.NewKey() }, cancellationToken,
                    notice: texts["Start.KeyReused"]);
            case RoundStartOutcome.KeyInProgress:
                return await FormPageAsync(StatusCodes.Status409Conflict, texts, person!, form, cancellationToken, notice: texts["Start.InProgress"]);
            default:
                return await FormPageAsync(
                    StatusCodes.Status503ServiceUnavailable, texts, person!, form, cancellationToken, notice: texts["Start.Unavailable"]);
        }
    }

    /// <summary>
    /// Starts the form's round. A second post of the same form while the first is starting it (a double click) waits for
    /// the first to finish and then answers with the same round, instead of telling a person to try again.
    /// </summary>
    async Task<RoundStart> StartOnceAsync(StartRoundForm form, SignedInPerson person, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var request = form.ToRequest();
        var fingerprint = form.Fingerprint();
        var giveUpAt = time.GetUtcNow() + WaitForConcurrentStart;
        while (true)
        {
            var started = await rounds.StartAsync(request, fingerprint, form.IdempotencyKey, person.AsActor(), client, cancellationToken);
            if (started.Outcome != RoundStartOutcome.KeyInProgress || time.GetUtcNow() >= giveUpAt)
            {
                if (started.Outcome == RoundStartOutcome.Replayed)
                {
                    logger.LogInformation("Console form sent again for round {RoundId}: nothing new started", started.RoundId);
                }

                return started;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
    }

    async Task<IResult> FormPageAsync(
        int status, ConsoleTexts texts, SignedInPerson person, StartRoundForm form, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string[]>? errors = null, RoundPreview? preview = null, string? notice = null, string? focusId = null)
    {
        var all = await directory.GetAllAsync(cancellationToken);
        return await ComponentHtml.PageAsync<StartRoundPage>(status, new Dictionary<string, object?>
        {
            [nameof(StartRoundPage.Texts)] = texts,
            [nameof(StartRoundPage.Person)] = person,
            [nameof(StartRoundPage.Form)] = form,
            [nameof(StartRoundPage.Directory)] = Ordered(all.Values),
            [nameof(StartRoundPage.Errors)] = errors ?? new Dictionary<string, string[]>(),
            [nameof(StartRoundPage.Preview)] = preview,
            [nameof(StartRoundPage.Notice)] = notice,
            [nameof(StartRoundPage.FocusId)] = focusId,
        }, allowScripts: true);
    }

    /// <summary>The directory as the form lists it: entities first, then the policy areas, each in the shipped order.</summary>
    static IReadOnlyList<Participant> Ordered(IEnumerable<Participant> participants)
    {
        var shipped = ParticipantDirectory.Shipped.Select((p, i) => (p.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        return [.. participants
            .OrderBy(p => p.Level == ParticipantLevel.BelgianEntity ? 0 : 1)
            .ThenBy(p => shipped.GetValueOrDefault(p.Code, int.MaxValue))
            .ThenBy(p => p.Name, StringComparer.Ordinal)];
    }
}
