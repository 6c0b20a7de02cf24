using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using MultilateralFlows.Email;
using MultilateralFlows.Hosting;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>
/// The real orchestrator on the in-memory Durable Task engine (replays, real timers and events, ContinueAsNew), with
/// fake activities that record what they were asked. Proves the orchestration is deterministic under replay.
/// </summary>
public sealed class ConsultationRoundInMemoryTests : IAsyncLifetime
{
    readonly ConcurrentQueue<(string Activity, object? Input)> calls = new();
    DurableTaskTestHost host = null!;

    /// <summary>The plan OpenRound hands out: short deadlines so that real timers fire quickly.</summary>
    Func<RoundInput, RoundPlan> plan = _ => throw new InvalidOperationException("No plan.");
    IReadOnlyList<string> divergent = [];

    public async Task InitializeAsync()
    {
        host = await DurableTaskTestHost.StartAsync(registry =>
        {
            WorkflowCatalogue.RegisterOrchestrators(registry);
            foreach (var activity in WorkflowCatalogue.Activities)
            {
                registry.AddActivity(activity.Name, _ => new FakeActivity(activity, this));
            }
        });
    }

    /// <summary>What each fake activity answers: what the round reads from it, or what a run that went well returns.</summary>
    object? Answer(ActivityRegistration activity, object? input) => input switch
    {
        RoundInput round when activity.Name == nameof(OpenRound) => plan(round),
        LinkedRoundRequest linked => StartLinkedRound.LinkedRoundId(linked.ParentRoundId, linked.Iteration),
        EmailBatch batch => batch.Participants.Count,
        ConsolidationRequest request => new PositionSummary(request.Version, divergent),
        _ when activity.OutputType == typeof(int) => 0,
        _ => true,
    };

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Round_EveryoneRepliesThenApproval_CompletesFinalWithEveryStepOnce()
    {
        plan = _ => Plan(TimeSpan.FromMinutes(10), "education", "environment");
        var id = await StartAsync();

        await WaitForCallAsync(nameof(SendEmails));
        await RaiseAsync(id, RoundSignal.Reply("education", 1));
        await RaiseAsync(id, RoundSignal.Reply("education", 1));
        await RaiseAsync(id, RoundSignal.Reply("environment", 1));
        await WaitForCallAsync(nameof(NotifyCoordinator));
        await RaiseAsync(id, RoundSignal.Review(ReviewDecision.Approve, null, null));

        var outcome = await WaitForCompletionAsync(id);
        Assert.Equal(new RoundOutcome(id, RoundPhase.Final, 2), outcome.ReadOutputAs<RoundOutcome>());
        // One receipt each; replies that arrive together share a batch.
        Assert.Equal(["education", "environment"], Inputs<EmailBatch>(nameof(SendEmails)).Where(b => b.Kind == MessageKind.Receipt).SelectMany(b => b.Participants).Order());
        Assert.Equal([1, 2], Inputs<ConsolidationRequest>(nameof(AssemblePosition)).Select(c => c.Version));
    }

    [Fact]
    public async Task Round_DeadlinePassesOnARealTimer_ClosesAndAssemblesWithoutWaitingForTheSilent()
    {
        plan = _ => Plan(TimeSpan.FromSeconds(2), "education", "environment");
        var id = await StartAsync();
        await WaitForCallAsync(nameof(SendEmails));
        await RaiseAsync(id, RoundSignal.Reply("education", 1));

        await WaitForCallAsync(nameof(AssemblePosition));

        Assert.Single(Inputs<RoundInput>(nameof(CloseCollection)));
        Assert.Equal(1, Inputs<ConsolidationRequest>(nameof(AssemblePosition)).Single().Version);
    }

    [Fact]
    public async Task Round_Reopened_ContinuesAsNewIterationThatAsksAgain()
    {
        divergent = ["5.I"];
        plan = input => Plan(TimeSpan.FromMinutes(10), "education") with { PositionVersion = input.Iteration == 1 ? 0 : 1 };
        var id = await StartAsync();
        await WaitForCallAsync(nameof(SendEmails));
        await RaiseAsync(id, RoundSignal.Reply("education", 1));
        await WaitForCallAsync(nameof(NotifyCoordinator));

        await RaiseAsync(id, RoundSignal.Review(ReviewDecision.Reopen, null, DateTimeOffset.UtcNow.AddMinutes(30)));

        await WaitUntilAsync(() => Inputs<RoundInput>(nameof(OpenRound)).Any(i => i.Iteration == 2));
        await WaitUntilAsync(() => Inputs<EmailBatch>(nameof(SendEmails)).Any(b => b is { Kind: MessageKind.Request, MessageNumber: 2 }));
        Assert.Equal(["5.I"], Inputs<ReopenRequest>(nameof(ReopenRound)).Single().Items);
        await RaiseAsync(id, RoundSignal.Reply("education", 2));
        await WaitUntilAsync(() => Inputs<ConsolidationRequest>(nameof(AssemblePosition)).Any(c => c.Version == 2));
    }

    [Fact]
    public async Task Round_Cancelled_CompletesCancelled()
    {
        plan = _ => Plan(TimeSpan.FromMinutes(10), "education");
        var id = await StartAsync();
        await WaitForCallAsync(nameof(SendEmails));

        await RaiseAsync(id, RoundSignal.Cancel("Postponed."));

        Assert.Equal(RoundPhase.Cancelled, (await WaitForCompletionAsync(id)).ReadOutputAs<RoundOutcome>()!.Phase);
    }

    static RoundPlan Plan(TimeSpan untilDeadline, params string[] respondents) =>
        RoundScript.PlanFor(respondents) with { Deadline = DateTimeOffset.UtcNow + untilDeadline };

    /// <summary>A declared activity, faked: it takes the declared input, records it and answers at once.</summary>
    sealed class FakeActivity(ActivityRegistration activity, ConsultationRoundInMemoryTests test) : ITaskActivity
    {
        public Type InputType => activity.InputType;

        public Type OutputType => activity.OutputType;

        public Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            test.calls.Enqueue((activity.Name, input));
            return Task.FromResult(test.Answer(activity, input));
        }
    }

    IEnumerable<T> Inputs<T>(string activity) => calls.Where(c => c.Activity == activity).Select(c => (T)c.Input!);

    async Task<string> StartAsync()
    {
        var id = RoundIds.New();
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ConsultationRound), new RoundInput(id), new StartOrchestrationOptions(id));
        return id;
    }

    Task RaiseAsync(string id, RoundSignal signal) => host.Client.RaiseEventAsync(id, RoundSignal.EventName, signal);

    Task WaitForCallAsync(string activity) => WaitUntilAsync(() => calls.Any(c => c.Activity == activity));

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    async Task<OrchestrationMetadata> WaitForCompletionAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var instance = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token);
            if (instance is { IsCompleted: true })
            {
                Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
                return instance;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
