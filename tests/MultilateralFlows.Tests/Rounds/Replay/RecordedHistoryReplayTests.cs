using DurableTask.Core.History;
using Google.Protobuf;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Email;
using MultilateralFlows.Hosting;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using P = Microsoft.DurableTask.Protobuf;

namespace MultilateralFlows.Tests.Rounds.Replay;

/// <summary>
/// Rounds in flight survive a deploy: every recorded history (a round waiting in one phase, taken from a real host) is
/// replayed against the orchestrator as both hosts register it, the way the engine replays it when the round next
/// wakes up, and must replay without the engine finding that the code now takes other steps than the history recorded.
/// A failure here means the change needs a new orchestrator version (docs/operations.md, "Changing the orchestrator safely").
/// </summary>
public sealed class RecordedHistoryReplayTests
{
    public static TheoryData<string> Histories => new(RecordedHistory.Names);

    [Fact]
    public void Histories_ThePhasesRoundsWaitInOnTheCurrentVersion_AreRecorded()
    {
        Assert.Subset(
            RecordedHistory.Names.ToHashSet(),
            new[] { "collecting", "some-replies", "reminders-sent", "reviewing", "reopened", "linked-soia-waiting", "cancelled" }
                .Select(phase => $"{phase}.v{RoundWorkflowVersions.Current}.local").ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public void Replay_TheCurrentOrchestrator_TakesTheStepsTheHistoryRecorded(string name)
    {
        var history = RecordedHistory.Load(name);

        var response = Replay(history, RegisteredOrchestrator());

        Assert.Null(Failure(response));
        if (!history.Events.OfType<ExecutionCompletedEvent>().Any())
        {
            // A round that waits has every step it takes in its history already: waking up adds nothing new.
            Assert.Empty(response.Actions);
        }
    }

    /// <summary>
    /// The test's own proof that it catches a break: a plausible refactor of the round's opening (ask the respondents,
    /// then start the linked SOIA round) swaps two activity calls, and replaying a COORMULTI round that already started
    /// its linked round fails as non-deterministic.
    /// </summary>
    [Fact]
    public void Replay_TwoActivityCallsSwapped_FailsAsNonDeterministic()
    {
        var history = RecordedHistory.Load($"linked-soia-waiting.v{RoundWorkflowVersions.Current}.local");
        Assert.Null(Failure(Replay(history, RegisteredOrchestrator())));

        var failure = Failure(Replay(history, FuncTaskOrchestrator.Create<RoundInput, RoundOutcome>(RequestsBeforeLinkedRound)));

        Assert.NotNull(failure);
        Assert.Contains("NonDeterministic", failure.ErrorType, StringComparison.Ordinal);
        Assert.Contains(nameof(StartLinkedRound), failure.ErrorMessage, StringComparison.Ordinal);
    }

    static async Task<RoundOutcome> RequestsBeforeLinkedRound(TaskOrchestrationContext context, RoundInput input)
    {
        var noRetry = new TaskOptions();
        var plan = await context.OpenRoundAsync(input, noRetry);
        await context.SendEmailsAsync(EmailBatch.Requests(input.RoundId, input.Iteration, plan.EmailRecipients), noRetry);
        if (plan.NeedsLinkedRound)
        {
            await context.StartLinkedRoundAsync(new LinkedRoundRequest(input.RoundId, input.Iteration), noRetry);
        }

        return await context.WaitForExternalEvent<RoundOutcome>(RoundSignal.EventName);
    }

    static ITaskOrchestrator RegisteredOrchestrator()
    {
        var registry = new DurableTaskRegistry();
        WorkflowCatalogue.RegisterOrchestrators(registry);
        return registry.GetOrchestrators().Single(o => o.Key.Name == nameof(ConsultationRound)).Value(new ServiceCollection().BuildServiceProvider());
    }

    /// <summary>
    /// Runs the orchestrator as the isolated worker does on a wake-up: everything recorded as past events, then a new
    /// step. The runner is the one the Functions app's worker runs orchestrations with; its executor compares each step
    /// the code takes with the recorded one.
    /// </summary>
    static P.OrchestratorResponse Replay(RecordedHistory history, ITaskOrchestrator orchestrator)
    {
        var request = new P.OrchestratorRequest { InstanceId = history.InstanceId };
        request.PastEvents.AddRange(history.Events.Select(ProtobufUtils.ToHistoryEventProto));
        request.NewEvents.Add(ProtobufUtils.ToHistoryEventProto(new OrchestratorStartedEvent(-1) { Timestamp = history.Events[^1].Timestamp }));

        var response = GrpcOrchestrationRunner.LoadAndRun(request.ToByteString().ToBase64(), orchestrator);
        return P.OrchestratorResponse.Parser.ParseFrom(ByteString.FromBase64(response));
    }

    static P.TaskFailureDetails? Failure(P.OrchestratorResponse response) =>
        response.Actions
            .Where(a => a.CompleteOrchestration is { OrchestrationStatus: P.OrchestrationStatus.Failed })
            .Select(a => a.CompleteOrchestration.FailureDetails)
            .FirstOrDefault();
}
