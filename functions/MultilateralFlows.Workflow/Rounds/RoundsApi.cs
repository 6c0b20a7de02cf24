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
    PositionStore positions,
    ParticipantDirectory directory,
    TimeProvider time,
    ILogger<RoundsApi> logger)
{
    public const int MaxRoundRequestBytes = 512 * 1024;

    /// <summary><c>POST /api/rounds</c>: validate, store the definition, start the orchestration, answer 202.</summary>
    public async Task<IResult> StartRoundAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!RequestBody.IsJson(request))
        {
            return Problems.UnsupportedMediaType("application/json");
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

        var roundId = RoundIds.New();
        var (round, errors) = RoundRequestValidator.Validate(parsed!, await directory.GetAllAsync(cancellationToken), roundId, time.GetUtcNow());
        if (round is null)
        {
            return Problems.Invalid(errors);
        }

        await rounds.CreateAsync(round, $"coordinator {round.CoordinatorEmail}", cancellationToken);
        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ConsultationRound), new RoundInput(roundId), new StartOrchestrationOptions(roundId), cancellationToken);
        logger.LogInformation("Round {RoundId} started: {Procedure} '{Title}'", roundId, round.Procedure, round.Title);

        var location = $"/api/rounds/{roundId}";
        request.HttpContext.Response.Headers.Location = location;
        return Results.Json(
            new RoundAccepted(roundId, RoundPhase.Collecting, round.Deadline, location, $"{location}/position"),
            WorkflowJson.Options,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary><c>GET /api/rounds/{id}</c>: phase, deadline and every participant's state.</summary>
    public async Task<IResult> GetRoundAsync(string id, CancellationToken cancellationToken)
    {
        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return RoundNotFound(id);
        }

        var requests = await rounds.GetRequestsAsync(id, cancellationToken);
        return Results.Json(RoundStatus.From(round, requests, time.GetUtcNow()), WorkflowJson.Options);
    }

    /// <summary><c>GET /api/rounds/{id}/position?format=md|html|json</c>: the latest version of the consolidated position.</summary>
    public async Task<IResult> GetPositionAsync(string id, string? format, CancellationToken cancellationToken)
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

        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return RoundNotFound(id);
        }

        if (round.PositionVersion == 0)
        {
            return Problems.NotFound("The position is assembled when every participant has replied or the deadline has passed; it is not there yet.");
        }

        var content = await positions.ReadAsync(id, round.PositionVersion, positionFormat, cancellationToken);
        return content is null
            ? Problems.NotFound("The position is being stored; try again in a moment.")
            : Results.Text(content, PositionRenderer.ContentType(positionFormat));
    }

    static IResult RoundNotFound(string id) =>
        Problems.NotFound(RoundIds.IsValid(id) ? $"There is no round '{id}'." : "That is not a round id.");
}

/// <summary>The answer to <c>POST /api/rounds</c>: where to follow the round.</summary>
public sealed record RoundAccepted(string Id, RoundPhase Phase, DateTimeOffset Deadline, string StatusUrl, string PositionUrl);
