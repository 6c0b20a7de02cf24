using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>
/// Drives <see cref="ConsultationRound"/> against a mocked <see cref="TaskOrchestrationContext"/>: activities answer at
/// once and are recorded, signals and the clock are moved by the test, timers fire when the clock passes them. Every
/// continuation runs inline, so after each step the orchestration is parked at its next wait.
/// </summary>
public sealed class RoundScript
{
    public static readonly DateTime Start = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    readonly Mock<TaskOrchestrationContext> context = new() { CallBase = true };
    readonly List<(DateTime FireAt, TaskCompletionSource Fired)> timers = [];
    TaskCompletionSource<RoundSignal>? waitingForSignal;
    readonly List<TaskCompletionSource<int>> heldReceipts = [];

    public RoundScript(RoundPlan plan, RoundInput? input = null)
    {
        Plan = plan;
        Input = input ?? new RoundInput("r1");
        Now = Start;
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        context.SetupGet(c => c.InstanceId).Returns(Input.RoundId);
        context.SetupGet(c => c.IsReplaying).Returns(false);
        context.SetupGet(c => c.Version).Returns(() => Version);
        context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        context.Setup(c => c.WaitForExternalEvent<RoundSignal>(RoundSignal.EventName, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                Assert.Null(waitingForSignal);
                waitingForSignal = new TaskCompletionSource<RoundSignal>();
                return waitingForSignal.Task;
            });
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken token) =>
            {
                var fired = new TaskCompletionSource();
                token.Register(() => fired.TrySetCanceled());
                timers.Add((fireAt, fired));
                return fired.Task;
            });
        context.Setup(c => c.ContinueAsNew(It.IsAny<ContinueAsNewOptions>()))
            .Callback((ContinueAsNewOptions next) => (ContinuedAsNew, ContinuedAsNewVersion) = ((RoundInput)next.NewInput!, next.NewVersion));
        Returns<RoundPlan>(_ => Plan);
        Returns<bool>(_ => true);
        context.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? _) =>
            {
                Calls.Add((name.Name, input));
                if (Failing.Contains(name.Name))
                {
                    return Task.FromException<int>(Failure(name.Name));
                }

                if (HoldReceipts && input is EmailBatch { Kind: MessageKind.Receipt })
                {
                    var held = new TaskCompletionSource<int>();
                    heldReceipts.Add(held);
                    return held.Task;
                }

                return Task.FromResult(input is EmailBatch batch ? batch.Participants.Count : 0);
            });
        Returns<string>(input => input is LinkedRoundRequest linked ? StartLinkedRound.LinkedRoundId(linked.ParentRoundId, linked.Iteration) : "");
        Returns<PositionSummary>(input => new PositionSummary(((ConsolidationRequest)input!).Version, DivergentItems));
    }

    public RoundPlan Plan { get; }

    public RoundInput Input { get; }

    public DateTime Now { get; private set; }

    /// <summary>What the next assembled position reports as divergent.</summary>
    public IReadOnlyList<string> DivergentItems { get; set; } = [];

    public List<(string Activity, object? Input)> Calls { get; } = [];

    /// <summary>Activities that fail (after their retries), as a lasting outage of what they call would make them.</summary>
    public HashSet<string> Failing { get; } = [];

    /// <summary>The orchestrator version the round runs on: the current one unless a test says otherwise.</summary>
    public string Version { get; set; } = RoundWorkflowVersions.Current;

    public RoundInput? ContinuedAsNew { get; private set; }

    /// <summary>The orchestrator version the next iteration starts on (null: the engine keeps this one's).</summary>
    public string? ContinuedAsNewVersion { get; private set; }

    public Task<RoundOutcome> Running { get; private set; } = null!;

    public static RoundPlan PlanFor(params string[] respondents) => new(
        EmailRecipients: respondents,
        Awaited: respondents,
        Deadline: Start.AddDays(7),
        ReminderOffsets: [],
        NeedsLinkedRound: false,
        ParentRoundId: null,
        PositionVersion: 0);

    public RoundScript Run()
    {
        Running = ConsultationRound.RunAsync(context.Object, Input);
        if (Running.IsFaulted)
        {
            throw Running.Exception!;
        }

        return this;
    }

    /// <summary>Delivers a signal to the waiting orchestration.</summary>
    public RoundScript Signal(RoundSignal signal)
    {
        var waiting = waitingForSignal ?? throw new InvalidOperationException("The orchestration is not waiting for a signal.");
        waitingForSignal = null;
        waiting.SetResult(signal);
        return this;
    }

    public RoundScript Reply(string participant, int version = 1) => Signal(RoundSignal.Reply(participant, version));

    /// <summary>While true, receipt e-mails are on their way until <see cref="ReleaseReceipts"/>.</summary>
    public bool HoldReceipts { get; set; }

    public RoundScript ReleaseReceipts()
    {
        var held = heldReceipts.ToList();
        heldReceipts.Clear();
        foreach (var receipt in held)
        {
            receipt.SetResult(1);
        }

        return this;
    }

    public int TimersCreated => timers.Count;

    /// <summary>Moves the clock, firing every live timer due by then, in order.</summary>
    public RoundScript AdvanceTo(DateTime time)
    {
        while (timers.Where(t => !t.Fired.Task.IsCompleted && t.FireAt <= time).OrderBy(t => t.FireAt).FirstOrDefault() is { Fired: not null } due)
        {
            Now = due.FireAt;
            due.Fired.SetResult();
        }

        Now = time;
        return this;
    }

    public RoundScript PassDeadline() => AdvanceTo(Plan.Deadline.UtcDateTime.AddSeconds(1));

    public bool IsWaitingForSignal => waitingForSignal is not null;

    public IReadOnlyList<DateTime> LiveTimers => timers.Where(t => !t.Fired.Task.IsCompleted).Select(t => t.FireAt).ToList();

    public IEnumerable<T> InputsOf<T>(string activity) => Calls.Where(c => c.Activity == activity).Select(c => (T)c.Input!);

    public IReadOnlyList<string> Activities => Calls.Select(c => c.Activity).ToList();

    void Returns<T>(Func<object?, T> result) =>
        context.Setup(c => c.CallActivityAsync<T>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName name, object? input, TaskOptions? _) =>
            {
                Calls.Add((name.Name, input));
                return Failing.Contains(name.Name) ? Task.FromException<T>(Failure(name.Name)) : Task.FromResult(result(input));
            });

    TaskFailedException Failure(string activity) =>
        new(activity, Calls.Count, new TaskFailureDetails("HttpRequestException", "The mail service is down.", null, null, null));
}
