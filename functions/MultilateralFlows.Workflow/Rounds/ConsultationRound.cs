using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Rounds;

/// <summary>
/// The consultation round, top to bottom: open the round, ask every respondent by e-mail, collect replies until all
/// have answered or the deadline passes, close the round to replies, assemble the consolidated position.
/// Pure orchestration code: time, ids and I/O come from the context and from activities.
/// </summary>
public static class ConsultationRound
{
    /// <summary>E-mails go out in batches of this many participants: few activities, small history.</summary>
    public const int EmailBatchSize = 25;

    static readonly TaskOptions CallsOut = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    public static async Task<RoundOutcome> RunAsync(TaskOrchestrationContext context, RoundInput input)
    {
        var log = context.CreateReplaySafeLogger(nameof(ConsultationRound));

        var plan = await context.CallActivityAsync<RoundPlan>(nameof(OpenRound), input, CallsOut);
        await SendToAllAsync(context, input.RoundId, MessageKind.Request, 0, plan.Respondents);
        log.LogInformation("Round {RoundId}: requests sent to {RespondentCount} respondents", input.RoundId, plan.Respondents.Count);

        await CollectRepliesAsync(context, plan);

        await context.CallActivityAsync<bool>(nameof(CloseCollection), input, CallsOut);
        var version = await context.CallActivityAsync<int>(nameof(AssemblePosition), new ConsolidationRequest(input.RoundId, 1), CallsOut);
        log.LogInformation("Round {RoundId}: position version {Version} ready for review", input.RoundId, version);
        return new RoundOutcome(input.RoundId, RoundPhase.Reviewing, version);
    }

    /// <summary>Waits for a reply from every respondent, or for the deadline, whichever comes first.</summary>
    static async Task CollectRepliesAsync(TaskOrchestrationContext context, RoundPlan plan)
    {
        var awaiting = plan.Respondents.ToHashSet(StringComparer.Ordinal);
        using var deadlineCancellation = new CancellationTokenSource();
        var deadline = context.CreateTimer(plan.Deadline.UtcDateTime, deadlineCancellation.Token);
        while (awaiting.Count > 0)
        {
            var signal = context.WaitForExternalEvent<RoundSignal>(RoundSignal.EventName);
            if (await Task.WhenAny(signal, deadline) == deadline)
            {
                return;
            }

            var received = await signal;
            if (received is { Kind: RoundSignalKind.Reply, Participant: { } participant })
            {
                awaiting.Remove(participant);
            }
        }

        // Everyone answered before the deadline: the timer is no longer needed. Cancel synchronously: an
        // orchestrator must not hand continuations to the thread pool.
        deadlineCancellation.Cancel();
    }

    static async Task SendToAllAsync(TaskOrchestrationContext context, string roundId, MessageKind kind, int sequence, IReadOnlyList<string> participants)
    {
        var batches = participants
            .Chunk(EmailBatchSize)
            .Select(batch => context.CallActivityAsync<int>(nameof(SendEmails), new EmailBatch(roundId, kind, sequence, batch), CallsOut));
        await Task.WhenAll(batches);
    }
}
