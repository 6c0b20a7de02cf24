using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Participants;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds;

/// <summary>The coordinator's routes under <c>/api/rounds</c>. Both hosts call these handlers; they validate, then delegate.</summary>
public sealed class RoundsApi(
    RoundStore rounds,
    RoundIndexStore roundIndex,
    RequestStore requestStore,
    ContributionStore contributionStore,
    LateContributionStore lateContributions,
    SettlementStore settlementStore,
    AuditLog audit,
    StartKeyStore startKeys,
    PositionStore positions,
    ParticipantDirectory directory,
    TimeProvider time,
    CoordinatorSignIn signIn,
    ILogger<RoundsApi> logger)
{
    public const int MaxRoundRequestBytes = 512 * 1024;

    /// <summary>
    /// <c>POST /api/rounds</c>: validate, store the definition, start the orchestration, answer 202. With an
    /// <c>Idempotency-Key</c> header, the same request sent again starts nothing and gets the round the first one started.
    /// </summary>
    public async Task<IResult> StartRoundAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!RequestBody.IsJson(request))
        {
            return Problems.UnsupportedMediaType("application/json");
        }

        var (idempotencyKey, keyProblem) = IdempotencyKey(request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        var (acting, notNamed) = signIn.ForApi(request);
        if (notNamed is not null)
        {
            return notNamed;
        }

        var body = await RequestBody.ReadTextAsync(request, MaxRoundRequestBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (parsed, problem) = RequestBody.ParseJson<StartRoundRequest>(body.Text!);
        if (problem is not null)
        {
            return problem;
        }

        var started = await StartAsync(parsed!, StartKeyStore.Fingerprint(body.Text!), idempotencyKey, acting!, client, cancellationToken);
        switch (started.Outcome)
        {
            case RoundStartOutcome.Invalid:
                return Problems.Invalid(started.Errors!);
            case RoundStartOutcome.KeyUsedForAnotherRequest:
                return Problems.Unprocessable(
                    $"This {StartKeyStore.HeaderName} was used for a different request; use a new key for a new round.");
            case RoundStartOutcome.KeyInProgress:
                request.HttpContext.Response.Headers.RetryAfter = "2";
                return Problems.Conflict($"A request with this {StartKeyStore.HeaderName} is being handled; send it again in a moment.");
            case RoundStartOutcome.Unavailable:
                return Problems.ServiceUnavailable("The round could not be started just now; nothing was sent. Try again in a moment.");
            case RoundStartOutcome.Replayed:
                request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
                break;
        }

        return Accepted(request, started.RoundId!, started.Phase, started.Deadline);
    }

    /// <summary>
    /// Validates a round request and starts the round: what <c>POST /api/rounds</c> and the console's start form both do
    /// once they have read their request. With an idempotency key, a request sent again (same key, same
    /// <paramref name="fingerprint"/>) starts nothing and gets the round the first one started.
    /// </summary>
    public async Task<RoundStart> StartAsync(
        StartRoundRequest parsed, string fingerprint, string? idempotencyKey, ActingCoordinator acting, DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var roundId = RoundIds.New();
        var (round, errors) = RoundRequestValidator.Validate(parsed, await directory.GetAllAsync(cancellationToken), roundId, time.GetUtcNow());
        if (round is null)
        {
            return RoundStart.Refused(RoundStartOutcome.Invalid, errors);
        }

        if (idempotencyKey is not null)
        {
            var claim = await startKeys.ClaimAsync(idempotencyKey, fingerprint, roundId, cancellationToken);
            switch (claim.Outcome)
            {
                case StartKeyOutcome.AlreadyStarted:
                case StartKeyOutcome.StoredNotStarted:
                    return await AlreadyStoredAsync(claim, idempotencyKey, client, cancellationToken);
                case StartKeyOutcome.UsedForAnotherRequest:
                    return RoundStart.Refused(RoundStartOutcome.KeyUsedForAnotherRequest);
                case StartKeyOutcome.InProgress:
                    return RoundStart.Refused(RoundStartOutcome.KeyInProgress);
            }
        }

        await rounds.CreateAsync(round, acting.ActorFor(round.CoordinatorEmail), cancellationToken);
        if (!await StartWorkflowAsync(roundId, client, cancellationToken))
        {
            // Stored but not started: nothing would ever run it. Mark it so, rather than leave it "collecting" forever,
            // and free the key so that the same request can simply be sent again.
            await rounds.SetPhaseAsync(roundId, RoundPhase.Cancelled, positionVersion: null, CancellationToken.None);
            await audit.AppendAsync(
                roundId, "RoundNotStarted", "workflow", "The workflow could not be started; the round was cancelled. Start it again.",
                CancellationToken.None);
            if (idempotencyKey is not null)
            {
                await startKeys.ReleaseAsync(idempotencyKey, roundId, CancellationToken.None);
            }

            return RoundStart.Refused(RoundStartOutcome.Unavailable);
        }

        if (idempotencyKey is not null)
        {
            await MarkStartedAsync(idempotencyKey, roundId);
        }

        logger.LogInformation("Round {RoundId} started: {Procedure} '{Title}'", roundId, round.Procedure, round.Title);
        return new RoundStart(RoundStartOutcome.Started, roundId, RoundPhase.Collecting, round.Deadline);
    }

    static (string? Key, IResult? Problem) IdempotencyKey(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(StartKeyStore.HeaderName, out var values))
        {
            return (null, null);
        }

        var why = values.Count == 1 ? StartKeyStore.Check(values[0] ?? "") : "Send one idempotency key.";
        return why is null ? (values[0], null) : (null, Problems.Invalid(new Dictionary<string, string[]> { [StartKeyStore.HeaderName] = [why] }));
    }

    /// <summary>
    /// The answer to a request sent again: the round the first one started, as it is now. If the first request's process
    /// died between storing the round and starting its workflow, this request has taken its key over and starts it.
    /// </summary>
    async Task<RoundStart> AlreadyStoredAsync(StartKeyClaim claim, string key, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var round = (await rounds.GetAsync(claim.RoundId, cancellationToken))!;
        if (claim.Outcome == StartKeyOutcome.StoredNotStarted && round.Phase == RoundPhase.Collecting)
        {
            if (!await StartWorkflowAsync(claim.RoundId, client, cancellationToken))
            {
                return RoundStart.Refused(RoundStartOutcome.Unavailable);
            }

            await MarkStartedAsync(key, claim.RoundId);
            logger.LogWarning("Round {RoundId} was stored but not started; started on the coordinator's retry", claim.RoundId);
        }

        return new RoundStart(RoundStartOutcome.Replayed, claim.RoundId, round.Phase, round.Definition.Deadline);
    }

    /// <summary>
    /// The round runs whatever becomes of this: if the key cannot be marked, retries are asked to wait for a minute, and
    /// then find the workflow running.
    /// </summary>
    async Task MarkStartedAsync(string key, string roundId)
    {
        try
        {
            await startKeys.MarkStartedAsync(key, roundId, CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning(e, "Round {RoundId} started, but its idempotency key could not be marked started", roundId);
        }
    }

    /// <summary>
    /// Starts the round's workflow; true also when it runs already (a retry of the same request started it meanwhile,
    /// or the engine took the start and only its answer was lost): never a second instance, never a running round
    /// taken for one that did not start.
    /// </summary>
    async Task<bool> StartWorkflowAsync(string roundId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ConsultationRound), new RoundInput(roundId), new StartOrchestrationOptions(roundId), cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try
            {
                if (await client.GetInstanceAsync(roundId, cancellationToken) is not null)
                {
                    return true;
                }
            }
            catch (Exception unreachable) when (unreachable is not OperationCanceledException)
            {
                // The engine does not answer at all: not started, as far as anyone can tell.
            }

            logger.LogError(e, "Round {RoundId} was stored but its workflow could not be started", roundId);
            return false;
        }
    }

    static IResult Accepted(HttpRequest request, string roundId, RoundPhase phase, DateTimeOffset deadline)
    {
        var location = $"/api/rounds/{roundId}";
        request.HttpContext.Response.Headers.Location = location;
        return Results.Json(
            new RoundAccepted(roundId, phase, deadline, location, $"{location}/position"),
            WorkflowJson.Options,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// <c>GET /api/rounds?phase=&amp;procedure=&amp;organisation=&amp;top=&amp;continuation=&amp;stuck=</c>: rounds, newest first;
    /// with <c>stuck=true</c>, only the open rounds the housekeeping watchdog found without a running workflow.
    /// </summary>
    public async Task<IResult> ListRoundsAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var phase = ParseOptional<RoundPhase>(query["phase"], "phase", errors);
        var procedure = ParseOptional<Procedure>(query["procedure"], "procedure", errors);
        var top = 50;
        if (!string.IsNullOrEmpty(query["top"]) && (!int.TryParse(query["top"], out top) || top is < 1 or > 500))
        {
            errors["top"] = ["A whole number from 1 to 500."];
        }

        string? organisation = query["organisation"];
        if (organisation is { Length: > RoundRequestValidator.MaxOrganisationLength })
        {
            errors["organisation"] = [$"At most {RoundRequestValidator.MaxOrganisationLength} characters."];
        }

        string? continuation = query["continuation"];
        if (continuation is { Length: > 1024 })
        {
            errors["continuation"] = ["Not a continuation token from this API."];
        }

        var stuck = false;
        if (!string.IsNullOrEmpty(query["stuck"]) && !bool.TryParse(query["stuck"], out stuck))
        {
            errors["stuck"] = ["true or false."];
        }
        else if (stuck && continuation is not null)
        {
            errors["continuation"] = ["Not with stuck=true: the stuck rounds come in one page."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (stuck)
        {
            // Few by nature (each one is an incident), so read whole and filtered here rather than paged by the table.
            var found = (await roundIndex.ListStuckAsync(cancellationToken))
                .Where(r => (phase is null || r.Phase == phase.ToString()) && (procedure is null || r.Procedure == procedure.ToString()))
                .Where(r => string.IsNullOrWhiteSpace(organisation) || r.Organisation == organisation)
                .Take(top);
            return Results.Json(new RoundList(found.Select(RoundSummary.From).ToList(), null), WorkflowJson.Options);
        }

        try
        {
            var (page, next) = await roundIndex.ListAsync(new RoundFilter(phase, procedure, organisation, top, continuation), cancellationToken);
            return Results.Json(new RoundList(page.Select(RoundSummary.From).ToList(), next), WorkflowJson.Options);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 400 && continuation is not null)
        {
            return Problems.BadRequest("The continuation token is not valid.");
        }
    }

    /// <summary><c>GET /api/rounds/{id}</c>: phase, deadline, every participant's state, per-item consensus so far, linked rounds.</summary>
    public async Task<IResult> GetRoundAsync(string id, CancellationToken cancellationToken) =>
        await ReadStatusAsync(id, cancellationToken) is { } view
            ? Results.Json(view.Status, WorkflowJson.Options)
            : RoundNotFound(id);

    /// <summary>
    /// The round's record and each participant's reply and delivery, from the round row and its request rows alone: what
    /// the console's participants table reads every few seconds, without assembling the position the replies make.
    /// Null for an id that is no round.
    /// </summary>
    public async Task<(RoundRecord Round, IReadOnlyList<ParticipantStatus> Participants)?> ReadParticipantsAsync(
        string id, CancellationToken cancellationToken)
    {
        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return null;
        }

        return (round, RoundStatus.ParticipantsOf(round, await requestStore.ListAsync(id, cancellationToken), time.GetUtcNow()));
    }

    /// <summary>
    /// The round as <c>GET /api/rounds/{id}</c> and the console's round page show it: its status, and the position its
    /// replies make so far (each participant's stance per item). Null for an id that is no round.
    /// </summary>
    public async Task<RoundView?> ReadStatusAsync(string id, CancellationToken cancellationToken)
    {
        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return null;
        }

        var requests = await requestStore.ListAsync(id, cancellationToken);
        var soFar = await PositionSoFarAsync(round, requests, cancellationToken);
        var linked = new List<LinkedRoundStatus>();
        foreach (var linkedId in requests.Select(r => r.LinkedRoundId).Append(round.Definition.ParentRoundId).OfType<string>().Distinct())
        {
            if (await rounds.GetAsync(linkedId, cancellationToken) is { } other)
            {
                var otherRequests = await requestStore.ListAsync(linkedId, cancellationToken);
                linked.Add(new LinkedRoundStatus(linkedId, other.Definition.Procedure, other.Phase, other.Definition.Deadline,
                    otherRequests.Count(r => r.LatestVersion > 0), otherRequests.Count));
            }
        }

        // Only a round that has Flanders answer through a linked round can hold a late contribution: others read nothing more.
        var late = requests.Any(r => r.LinkedRoundId is not null)
            ? await lateContributions.GetAsync(id, RoundRouting.Flanders, cancellationToken)
            : null;
        return new RoundView(round, RoundStatus.From(round, requests, soFar, linked, time.GetUtcNow(), late), soFar, requests);
    }

    /// <summary><c>GET /api/rounds/{id}/audit</c>: every step of the round, oldest first.</summary>
    public async Task<IResult> GetAuditAsync(string id, CancellationToken cancellationToken)
    {
        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is null)
        {
            return RoundNotFound(id);
        }

        var entries = (await audit.GetAsync(id, cancellationToken)).Select(a => new AuditEntry(a.At, a.Action, a.Actor, a.Detail)).ToList();
        return Results.Json(new AuditTrail(id, entries), WorkflowJson.Options);
    }

    async Task<PositionDocument> PositionSoFarAsync(RoundRecord round, IReadOnlyList<RequestRow> requests, CancellationToken cancellationToken)
    {
        var contributions = await contributionStore.GetLatestAsync(round.Definition.Id, cancellationToken);
        var names = (await directory.GetAllAsync(cancellationToken)).ToDictionary(p => p.Key, p => p.Value.Name, StringComparer.Ordinal);
        var respondents = requests.Count > 0
            ? requests.Select(r => new Respondent(r.Participant, r.Represents)).ToList()
            : RoundRouting.Respondents(round.Definition, round.IsOpen);
        // Items are settled in review, on a draft: before the first one there is nothing to read.
        var settlements = round.PositionVersion > 0 ? await settlementStore.GetAllAsync(round.Definition.Id, cancellationToken) : null;
        return PositionAssembler.Assemble(
            round.Definition, respondents, contributions, names, round.PositionVersion, PositionStatus.Draft, time.GetUtcNow(), settlements);
    }

    static TEnum? ParseOptional<TEnum>(string? value, string field, Dictionary<string, string[]> errors)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var name = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            errors[field] = [$"One of {string.Join(", ", Enum.GetNames<TEnum>())}."];
            return null;
        }

        return Enum.Parse<TEnum>(name);
    }

    /// <summary>
    /// <c>GET /api/rounds/{id}/position?format=md|html|json&amp;version=N&amp;lang=nl|fr|de|en</c>: the latest version of the
    /// consolidated position, or version N (any stored draft or the final one). The JSON says which versions there are
    /// (<c>versions</c>). Without <c>lang</c>, Markdown and HTML are the English documents stored when the version was
    /// assembled; with it, they are written from that version's stored JSON in the language asked for (the JSON itself
    /// keeps code names in every language: it is data).
    /// </summary>
    public async Task<IResult> GetPositionAsync(string id, string? format, string? version, string? language, CancellationToken cancellationToken)
    {
        PositionFormat? wanted = (format ?? "json").ToLowerInvariant() switch
        {
            "json" => PositionFormat.Json,
            "md" or "markdown" => PositionFormat.Markdown,
            "html" => PositionFormat.Html,
            _ => null,
        };
        if (wanted is not { } positionFormat)
        {
            return Problems.BadRequest("Unknown format; use md, html or json.");
        }

        int? asked = null;
        if (version is not null)
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["version"] = ["A position version: a whole number from 1."] });
            }

            asked = number;
        }

        if (language is not null && !PositionTexts.Languages.Contains(language))
        {
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["lang"] = [$"The language of the document: one of {string.Join(", ", PositionTexts.Languages)}."],
            });
        }

        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return RoundNotFound(id);
        }

        if (round.PositionVersion == 0)
        {
            return Problems.NotFound("The position is assembled when every participant has replied or the deadline has passed; it is not there yet.");
        }

        if (asked > round.PositionVersion)
        {
            return Problems.NotFound($"There is no position version {asked}; the latest is version {round.PositionVersion}.");
        }

        var translated = language is not null && positionFormat != PositionFormat.Json;
        var content = translated
            ? await positions.ReadInLanguageAsync(id, asked ?? round.PositionVersion, positionFormat, PositionTexts.For(language), cancellationToken)
            : await positions.ReadAsync(id, asked ?? round.PositionVersion, positionFormat, cancellationToken);
        if (content is null)
        {
            // A version the round's record names is being stored; one before it was never stored (a reopened round's
            // numbering goes on from where it stood, but every version it counted was written).
            return asked is null || asked == round.PositionVersion
                ? Problems.NotFound("The position is being stored; try again in a moment.")
                : Problems.NotFound($"There is no position version {asked}.");
        }

        return positionFormat == PositionFormat.Json
            ? Results.Text(WithVersions(content, round.PositionVersion), PositionRenderer.ContentType(positionFormat))
            : Results.Text(content, PositionRenderer.ContentType(positionFormat));
    }

    /// <summary>
    /// The JSON document with the versions a caller can ask for (1 to the latest): added when served, not stored, so
    /// every stored version keeps exactly what it said when it was assembled.
    /// </summary>
    static string WithVersions(string json, int latest)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document["latestVersion"] = latest;
        document["versions"] = new JsonArray([.. Enumerable.Range(1, latest).Select(v => (JsonNode?)v)]);
        return document.ToJsonString(WorkflowJson.Options);
    }

    static IResult RoundNotFound(string id) =>
        Problems.NotFound(RoundIds.IsValid(id) ? $"There is no round '{id}'." : "That is not a round id.");
}

/// <summary>How a start went: a round started (or found started by the same request before), or why not.</summary>
public enum RoundStartOutcome
{
    Started,

    /// <summary>The same request (idempotency key and fingerprint) started this round before; nothing new was started.</summary>
    Replayed,

    /// <summary>The request breaks the rules; <see cref="RoundStart.Errors"/> says where, by field.</summary>
    Invalid,
    KeyUsedForAnotherRequest,

    /// <summary>A request with the same key is being handled right now.</summary>
    KeyInProgress,

    /// <summary>The workflow could not be started; nothing was sent and the key is free again.</summary>
    Unavailable,
}

/// <summary>The result of <see cref="RoundsApi.StartAsync"/>; <see cref="RoundId"/> is set when a round runs.</summary>
public sealed record RoundStart(
    RoundStartOutcome Outcome, string? RoundId, RoundPhase Phase, DateTimeOffset Deadline, Dictionary<string, string[]>? Errors = null)
{
    public static RoundStart Refused(RoundStartOutcome outcome, Dictionary<string, string[]>? errors = null) =>
        new(outcome, null, RoundPhase.Cancelled, default, errors);
}

/// <summary>A round as read for its status: the record, the status, the position so far, and its request rows.</summary>
public sealed record RoundView(RoundRecord Round, RoundStatus Status, PositionDocument SoFar, IReadOnlyList<RequestRow> Requests);

/// <summary>The answer to <c>POST /api/rounds</c>: where to follow the round.</summary>
public sealed record RoundAccepted(string Id, RoundPhase Phase, DateTimeOffset Deadline, string StatusUrl, string PositionUrl);
