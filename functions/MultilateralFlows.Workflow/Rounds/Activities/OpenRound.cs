using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Participants;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Prepares a request per respondent: directory details, a reply-token nonce and the token's hash, and the token
/// index entry. Requests that exist already (a retry, or a reopened round) are left untouched, so their links stay valid.
/// </summary>
public sealed class OpenRound(
    RoundStore rounds,
    RequestStore requests,
    AuditLog audit,
    ParticipantDirectory directory,
    ReplyTokens tokens,
    IOptions<RoundOptions> options,
    TimeProvider time,
    ILogger<OpenRound> logger)
    : IWorkflowActivity<RoundInput, RoundPlan>
{
    const int ParallelTokenWrites = 16;

    public async Task<RoundPlan> RunAsync(RoundInput input, CancellationToken cancellationToken = default)
    {
        var round = await rounds.GetAsync(input.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} is not stored.");
        var respondents = RoundRouting.Respondents(round.Definition, round.IsOpen);
        var existing = (await requests.ListAsync(input.RoundId, cancellationToken)).Select(r => r.Participant).ToHashSet(StringComparer.Ordinal);
        var everyone = await directory.GetAllAsync(cancellationToken);

        var newRequests = new List<RequestRow>();
        foreach (var respondent in respondents.Where(r => !existing.Contains(r.Participant)))
        {
            var participant = everyone.GetValueOrDefault(respondent.Participant)
                ?? throw new InvalidOperationException($"Participant {respondent.Participant} is not in the directory.");
            var nonce = ReplyTokens.NewNonce();
            newRequests.Add(new RequestRow
            {
                PartitionKey = input.RoundId,
                RowKey = RowKeys.Request(participant.Code),
                Participant = participant.Code,
                Name = participant.Name,
                Emails = string.Join(';', participant.Emails),
                Language = participant.Language,
                Represents = respondent.Represents,
                TokenNonce = nonce,
                TokenHash = ReplyTokens.Hash(tokens.TokenFor(input.RoundId, participant.Code, nonce)),
            });
        }

        // Each token is its own partition of the index, so the entries cannot share a transaction: write them side by
        // side rather than one after the other (a 1,000-participant round spent seconds here).
        await Parallel.ForEachAsync(
            newRequests,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelTokenWrites, CancellationToken = cancellationToken },
            async (request, ct) => await tokens.RegisterAsync(request.TokenHash, new ReplyAccess(input.RoundId, request.Participant), ct));

        await requests.AddMissingAsync(input.RoundId, newRequests, cancellationToken);
        if (newRequests.Count > 0)
        {
            await audit.AppendAsync(input.RoundId, "RequestsPrepared", "workflow",
                $"{newRequests.Count} request(s): {string.Join(", ", newRequests.Select(r => r.Participant))}", cancellationToken);
        }

        logger.LogInformation(
            "Round {RoundId} iteration {Iteration} opened with {RespondentCount} respondents",
            input.RoundId, input.Iteration, respondents.Count);
        return new RoundPlan(
            EmailRecipients: respondents.Where(r => !r.ViaLinkedRound).Select(r => r.Participant).ToList(),
            Awaited: respondents.Select(r => r.Participant).ToList(),
            Deadline: round.Definition.Deadline,
            ReminderOffsets: options.Value.ParsedReminderOffsets(),
            NeedsLinkedRound: respondents.Any(r => r.ViaLinkedRound),
            ParentRoundId: round.Definition.ParentRoundId,
            PositionVersion: round.PositionVersion,
            ParentDeadlineWarningAt: await ParentDeadlineWarningAtAsync(round.Definition, cancellationToken));
    }

    /// <summary>
    /// For a linked SOIA round, when to warn that it is not approved yet: from its COORMULTI round's deadline as it stands
    /// now; none once that round has closed its replies or ended (a late position then takes the late path).
    /// </summary>
    async Task<DateTimeOffset?> ParentDeadlineWarningAtAsync(RoundDefinition round, CancellationToken cancellationToken) =>
        round.ParentRoundId is { } parentId
        && await rounds.GetAsync(parentId, cancellationToken) is { IsActive: true, CollectionClosedAt: null } parent
            ? options.Value.ParentDeadlineWarningAt(parent.Definition.Deadline, time.GetUtcNow())
            : null;
}
