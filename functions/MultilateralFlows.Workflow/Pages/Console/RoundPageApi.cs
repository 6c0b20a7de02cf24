using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Localization;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Pages.Console;

/// <summary>
/// The console's page of one round (<c>/api/console/rounds/{id}</c>) and its forms. A form does what the JSON route of
/// the same action does, through the same method (<see cref="RoundActionsApi"/>, <see cref="SettlementApi"/>), as the
/// signed-in person: accepted, it answers 303 back to the page with a confirmation; refused (400, 404 of an item, 409),
/// it shows the page again with the messages next to the fields and what was typed.
/// </summary>
public sealed class RoundPageApi(
    RoundsApi rounds,
    RoundActionsApi actions,
    SettlementApi settlements,
    PositionStore positions,
    AuditLog auditLog,
    CoordinatorSignIn signIn)
{
    public const int MaxFormBytes = 64 * 1024;

    /// <summary>The audit entries the page shows, newest first; the whole audit is at <c>GET /api/rounds/{id}/audit</c>.</summary>
    public const int AuditShown = 20;

    static readonly string[] DoneFlags = ["deadline", "reminders", "approve", "reopen", "cancel", "settlement"];

    /// <summary><c>GET /api/console/rounds/{id}?version=&amp;done=&amp;item=&amp;lang=</c>: the page.</summary>
    public async Task<IResult> ShowAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var (person, refusal) = signIn.ForConsole(request, request.Path + request.QueryString);
        if (refusal is not null)
        {
            return refusal;
        }

        var done = request.Query["done"].ToString() is var flag && DoneFlags.Contains(flag) ? flag : null;
        var item = done == "settlement" ? request.Query["item"].ToString() : null;
        return await PageAsync(id, request, person!, StatusCodes.Status200OK, request.Query["version"], done, item, problem: null, cancellationToken);
    }

    /// <summary><c>GET /api/console/rounds/{id}/participants</c>: the participants' part of the page alone, for its script.</summary>
    public async Task<IResult> ParticipantsAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var (_, refusal) = signIn.ForConsole(request, RoundPagePaths.Page(id));
        if (refusal is not null)
        {
            return refusal;
        }

        if (await rounds.ReadParticipantsAsync(id, cancellationToken) is not { } found)
        {
            return Problems.NotFound(RoundIds.IsValid(id) ? $"There is no round '{id}'." : "That is not a round id.");
        }

        var (round, participants) = found;

        var html = await ComponentHtml.RenderAsync<RoundPageParticipants>(new Dictionary<string, object?>
        {
            [nameof(RoundPageParticipants.Round)] = new RoundPageParticipantsView(
                round.Definition.Id, round.Phase, round.PositionVersion, participants),
            [nameof(RoundPageParticipants.Texts)] = ConsoleLanguage.Choose(request),
            [nameof(RoundPageParticipants.ChosenLanguage)] = ConsoleTexts.Chosen(request),
        });
        return new HtmlPage(StatusCodes.Status200OK, html);
    }

    /// <summary><c>POST /api/console/rounds/{id}/deadline</c> with <c>deadline</c> (Brussels time, <c>2026-12-15 17:00</c>).</summary>
    public Task<IResult> MoveDeadlineAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(id, null, "deadline", request, cancellationToken, (fields, actor) =>
            actions.MoveDeadlineAsync(id, new DeadlineRequest { Deadline = IsoDeadline(fields.GetValueOrDefault("deadline")) }, actor, client, cancellationToken));

    /// <summary><c>POST /api/console/rounds/{id}/reminders</c>: remind whoever has not replied, now.</summary>
    public Task<IResult> RemindAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(id, null, "reminders", request, cancellationToken, (_, actor) => actions.RemindAsync(id, actor, client, cancellationToken));

    /// <summary><c>POST /api/console/rounds/{id}/review</c> with <c>decision</c> (approve, reopen), <c>comments</c>, <c>deadline</c>, <c>version</c>.</summary>
    public Task<IResult> ReviewAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(id, null, "review", request, cancellationToken, (fields, actor) =>
        {
            var deadline = fields.GetValueOrDefault("deadline");
            return actions.ReviewAsync(id, new ReviewRequest
            {
                Decision = fields.GetValueOrDefault("decision"),
                Comments = fields.GetValueOrDefault("comments"),
                Deadline = string.IsNullOrWhiteSpace(deadline) ? null : IsoDeadline(deadline),
                Version = Version(fields),
            }, actor, client, cancellationToken);
        });

    /// <summary><c>POST /api/console/rounds/{id}/cancel</c> with <c>confirm=yes</c> (required: the confirmation) and <c>reason</c>.</summary>
    public Task<IResult> CancelAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(id, null, "cancel", request, cancellationToken, (fields, actor) =>
            fields.GetValueOrDefault("confirm") == "yes"
                ? actions.CancelAsync(id, new CancelRoundRequest { Reason = fields.GetValueOrDefault("reason") }, actor, client, cancellationToken)
                : Task.FromResult<IResult>(new Unconfirmed()));

    /// <summary><c>POST /api/console/rounds/{id}/items/{itemId}/settlement</c> with <c>how</c>, <c>text</c>, <c>leadEntity</c>, <c>version</c>.</summary>
    public Task<IResult> SettleAsync(string id, string itemId, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        ActAsync(id, itemId, "settle", request, cancellationToken, (fields, actor) =>
            settlements.SettleAsync(id, itemId, new SettlementRequest
            {
                How = fields.GetValueOrDefault("how"),
                Text = fields.GetValueOrDefault("text"),
                LeadEntity = fields.GetValueOrDefault("leadEntity"),
                Version = Version(fields),
            }, actor, client, cancellationToken));

    /// <summary>
    /// A form post: signed in, from this site, a form within its limit; then the action, and its answer mapped for a
    /// person: accepted, back to the page (303); refused, the page again with why.
    /// </summary>
    async Task<IResult> ActAsync(
        string id,
        string? itemId,
        string form,
        HttpRequest request,
        CancellationToken cancellationToken,
        Func<IReadOnlyDictionary<string, string>, ActingCoordinator, Task<IResult>> act)
    {
        var (person, refusal) = signIn.ForConsole(request, RoundPagePaths.Page(id));
        if (refusal is not null)
        {
            return refusal;
        }

        // A form posted from another site (cross-site request forgery, riding on the sign-in cookie) is refused:
        // browsers say where a request comes from, and the page's forms post to the page's own origin.
        if (request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site is not ("same-origin" or "none"))
        {
            return Results.Problem(
                detail: "Console forms are accepted from the console's own pages only.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        if (!RequestBody.IsForm(request))
        {
            return Problems.UnsupportedMediaType("application/x-www-form-urlencoded");
        }

        var body = await RequestBody.ReadTextAsync(request, MaxFormBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!RequestBody.IsWellEncodedForm(body.Text!))
        {
            return Problems.BadRequest("The form's escapes are not valid UTF-8.");
        }

        var fields = QueryHelpers.ParseQuery(body.Text).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var result = await act(fields, person!.AsActor());
        var texts = ConsoleLanguage.Choose(request);
        var (status, errors, detail) = Read(result);
        if (status == StatusCodes.Status202Accepted)
        {
            var done = form switch
            {
                "review" => fields.GetValueOrDefault("decision")?.Trim().ToLowerInvariant() == "reopen" ? "reopen" : "approve",
                "settle" => "settlement",
                _ => form,
            };
            var query = itemId is null ? [("done", done)] : new[] { ("done", done), ("item", itemId) };
            return new SeeOther(RoundPagePaths.WithLanguage(RoundPagePaths.Page(id), ConsoleTexts.Chosen(request), null, query));
        }

        if (status == StatusCodes.Status404NotFound && itemId is null)
        {
            return await PageAsync(id, request, person, status, null, null, null, null, cancellationToken);
        }

        var messages = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var inEnglish = new HashSet<string>(StringComparer.Ordinal);
        if (result is Unconfirmed)
        {
            messages["confirm"] = [texts["ConfirmRequired"]];
        }
        else if (errors.Count == 0)
        {
            messages[""] = [detail ?? ""];
            inEnglish.Add("");
        }

        foreach (var (field, said) in errors)
        {
            // The deadline's messages speak of ISO 8601, which the form does not ask for: the form's own help instead.
            if (field == "deadline")
            {
                messages[field] = [texts["DeadlineHelp"]];
            }
            else
            {
                messages[field] = said;
                inEnglish.Add(field);
            }
        }

        var problem = new RoundPageProblem(form, itemId, messages, fields, inEnglish);
        return await PageAsync(id, request, person, status, null, null, null, problem, cancellationToken);
    }

    async Task<IResult> PageAsync(
        string id,
        HttpRequest request,
        SignedInPerson person,
        int status,
        string? versionAsked,
        string? done,
        string? doneItem,
        RoundPageProblem? problem,
        CancellationToken cancellationToken)
    {
        var texts = ConsoleLanguage.Choose(request);
        if (await rounds.ReadStatusAsync(id, cancellationToken) is not { } view)
        {
            // In the console's layout, which loads its script: allowed, as on every console page.
            return await ComponentHtml.PageAsync<RoundPageMissing>(StatusCodes.Status404NotFound, new Dictionary<string, object?>
            {
                [nameof(RoundPageMissing.Texts)] = texts,
                [nameof(RoundPageMissing.Person)] = person,
            }, allowScripts: true);
        }

        var latest = view.Round.PositionVersion;
        var shownVersion = latest;
        if (!string.IsNullOrEmpty(versionAsked))
        {
            if (int.TryParse(versionAsked, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked >= 1 && asked <= latest)
            {
                shownVersion = asked;
            }
            else
            {
                status = StatusCodes.Status404NotFound;
                problem = new RoundPageProblem(
                    "version", null, new Dictionary<string, string[]> { ["version"] = [texts.Format("VersionUnknown", versionAsked, latest)] },
                    new Dictionary<string, string>(), []);
            }
        }

        var shown = shownVersion > 0 ? await positions.ReadDocumentAsync(id, shownVersion, cancellationToken) : null;
        var previous = shownVersion > 1 ? await positions.ReadDocumentAsync(id, shownVersion - 1, cancellationToken) : null;
        var audit = (await auditLog.GetAsync(id, cancellationToken))
            .OrderByDescending(a => a.At)
            .Take(AuditShown)
            .Select(a => new AuditEntry(a.At, a.Action, a.Actor, a.Detail))
            .ToList();
        var model = new RoundPageModel(
            view.Status, view.SoFar, RoundActionsApi.SilentCount(view.Round, view.Requests), shown, previous, audit, texts,
            ConsoleTexts.Chosen(request), done, doneItem, problem);
        return await ComponentHtml.PageAsync<RoundPage>(status, new Dictionary<string, object?>
        {
            [nameof(RoundPage.Model)] = model,
            [nameof(RoundPage.Person)] = person,
        }, allowScripts: true);
    }

    /// <summary>The form's deadline as the API reads it (<see cref="BrusselsTime.TypedToIso"/>).</summary>
    internal static string? IsoDeadline(string? typed) => typed is null ? null : BrusselsTime.TypedToIso(typed);

    static int? Version(IReadOnlyDictionary<string, string> fields) =>
        int.TryParse(fields.GetValueOrDefault("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    /// <summary>What an action answered: its status, the messages per field of a 400, and the detail of any other refusal.</summary>
    internal static (int Status, IDictionary<string, string[]> Errors, string? Detail) Read(IResult result) => result switch
    {
        ProblemHttpResult { ProblemDetails: HttpValidationProblemDetails invalid } problem => (problem.StatusCode, invalid.Errors, invalid.Detail),
        ProblemHttpResult problem => (problem.StatusCode, new Dictionary<string, string[]>(), problem.ProblemDetails.Detail),
        ValidationProblem invalid => (invalid.StatusCode, invalid.ProblemDetails.Errors, invalid.ProblemDetails.Detail),
        Unconfirmed => (StatusCodes.Status400BadRequest, new Dictionary<string, string[]>(), null),
        IStatusCodeHttpResult { StatusCode: { } code } => (code, new Dictionary<string, string[]>(), null),
        _ => (StatusCodes.Status503ServiceUnavailable, new Dictionary<string, string[]>(), "Not available just now; try again in a moment."),
    };

    /// <summary>The cancel form without its confirmation: nothing is done.</summary>
    sealed class Unconfirmed : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => throw new InvalidOperationException("Mapped to the page, never executed.");
    }
}
