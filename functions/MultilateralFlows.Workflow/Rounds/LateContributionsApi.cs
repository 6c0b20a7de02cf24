using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Http;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds;

/// <summary>The body of <c>POST /api/rounds/{id}/late-contributions/{participant}</c>.</summary>
public sealed class LateContributionDecisionRequest
{
    public string? Decision { get; set; }
}

/// <summary>
/// <c>POST /api/rounds/{id}/late-contributions/{participant}</c>: the coordinator accepts or declines a contribution
/// that came after replies closed (Flanders' position from its linked SOIA round, approved too late), while the draft is
/// in review. Accepting stores it as the participant's next version and tells the round, as a reply would: the round in
/// review assembles a new draft with it. Sent twice, the same decision answers the same (an acceptance tells the round
/// again, which takes the reply once); the other decision is refused.
/// </summary>
public sealed class LateContributionsApi(
    RoundStore rounds, LateContributionStore late, ReplyRecorder recorder, CoordinatorSignIn signIn, ILogger<LateContributionsApi> logger)
{
    public async Task<IResult> DecideAsync(
        string id, string participant, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!RoundIds.IsValid(id) || await rounds.GetAsync(id, cancellationToken) is not { } round)
        {
            return Problems.NotFound(RoundIds.IsValid(id) ? $"There is no round '{id}'." : "That is not a round id.");
        }

        // Only Flanders answers through a linked round, so only Flanders' contribution can come late.
        if (participant != RoundRouting.Flanders)
        {
            return Problems.NotFound($"Only {RoundRouting.Flanders}' contribution, from a linked SOIA round, can come late.");
        }

        var (acting, notNamed) = signIn.ForApi(request);
        if (notNamed is not null)
        {
            return notNamed;
        }

        if (!RequestBody.IsJson(request))
        {
            return Problems.UnsupportedMediaType("application/json");
        }

        var body = await RequestBody.ReadTextAsync(request, RoundActionsApi.MaxActionBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (parsed, problem) = RequestBody.ParseJson<LateContributionDecisionRequest>(body.Text!);
        if (problem is not null)
        {
            return problem;
        }

        LateDecision? decision = parsed!.Decision?.Trim().ToLowerInvariant() switch
        {
            "accept" => LateDecision.Accepted,
            "decline" => LateDecision.Declined,
            _ => null,
        };
        if (decision is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["decision"] = ["Required: accept or decline."] });
        }

        if (round.Phase != RoundPhase.Reviewing)
        {
            return Problems.Conflict($"The round is {round.Phase}; a late contribution is decided on while the draft is in review.");
        }

        var held = await late.GetAsync(id, participant, cancellationToken);
        if (held is null)
        {
            return Problems.Conflict($"No late contribution of {participant} is held in this round.");
        }

        if (!held.Pending && held.Decision != decision.ToString())
        {
            return Problems.Conflict($"The late contribution of {participant} was {held.Decision?.ToLowerInvariant()} already.");
        }

        var actor = acting!.ActorFor(round.Definition.CoordinatorEmail);
        if (decision == LateDecision.Declined)
        {
            if (held.Pending && !await late.DeclineAsync(id, held, actor, cancellationToken))
            {
                return Problems.Conflict("The late contribution was decided on at the same moment; look at the round again.");
            }

            return Accepted(id);
        }

        if (await client.GetInstanceAsync(id, cancellationToken) is null or { IsCompleted: true })
        {
            return Problems.Conflict("This round's workflow is not running, so nothing can act on this request.");
        }

        var version = held.AcceptedVersion ?? 0;
        if (held.Pending)
        {
            (var outcome, version) = await late.AcceptAsync(round, held, actor, cancellationToken);
            if (outcome == LateAcceptOutcome.Conflict)
            {
                return Problems.Conflict("The late contribution was decided on, or a reply stored, at the same moment; look at the round again.");
            }
        }

        try
        {
            await recorder.SignalAsync(client, id, participant, version, cancellationToken);
        }
        catch (RoundNotSignalledException)
        {
            return Problems.ServiceUnavailable(
                "The contribution is accepted, but the round could not be told just now; send the same decision again.", retryAfterSeconds: 30);
        }

        logger.LogInformation("Round {RoundId}: late contribution of {Participant} accepted as version {Version}", id, participant, version);
        return Accepted(id);
    }

    static IResult Accepted(string id) =>
        Results.Json(
            new ActionAccepted(id, "late-contribution", $"/api/rounds/{id}"), WorkflowJson.Options, statusCode: StatusCodes.Status202Accepted);
}
