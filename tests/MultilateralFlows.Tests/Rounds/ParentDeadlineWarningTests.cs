using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>
/// A linked SOIA round not approved close to its COORMULTI round's deadline warns both coordinators, once: when
/// (<see cref="RoundOptions.ParentDeadlineWarningAt"/>), and how the round wakes up for it while collecting, in review,
/// across a fresh history, and never on an orchestrator version from before it.
/// </summary>
public sealed class ParentDeadlineWarningTests
{
    static readonly string[] Areas = ["education", "environment", "culture-youth-media"];
    static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ParentDeadlineWarningAt_DeadlineDaysAway_TheSettingBeforeIt()
    {
        var options = new RoundOptions { ParentDeadlineWarning = TimeSpan.FromHours(12) };

        Assert.Equal(Now.AddDays(7).AddHours(-12), options.ParentDeadlineWarningAt(Now.AddDays(7), Now));
    }

    [Fact]
    public void ParentDeadlineWarningAt_DeadlineCloserThanTwiceTheSetting_HalfwayToIt()
    {
        var options = new RoundOptions { ParentDeadlineWarning = TimeSpan.FromHours(12) };

        Assert.Equal(Now.AddHours(5), options.ParentDeadlineWarningAt(Now.AddHours(10), Now));
    }

    [Fact]
    public void ParentDeadlineWarningAt_NoWarningSetOrDeadlinePassed_None()
    {
        Assert.Null(new RoundOptions { ParentDeadlineWarning = TimeSpan.Zero }.ParentDeadlineWarningAt(Now.AddDays(7), Now));
        Assert.Null(new RoundOptions().ParentDeadlineWarningAt(Now.AddMinutes(-1), Now));
    }

    [Fact]
    public void Validate_NegativeWarning_Refused()
    {
        var results = new RoundOptions { ParentDeadlineWarning = TimeSpan.FromHours(-1) }.Validate(new(new object())).ToList();

        Assert.Contains(results, r => r.MemberNames.Contains(nameof(RoundOptions.ParentDeadlineWarning)));
    }

    static RoundPlan LinkedPlan(DateTime warnAt) => RoundScript.PlanFor(Areas) with
    {
        ParentRoundId = "parent",
        ParentDeadlineWarningAt = new DateTimeOffset(warnAt, TimeSpan.Zero),
    };

    static List<CoordinatorNotice> Warnings(RoundScript script) =>
        script.InputsOf<CoordinatorNotice>(nameof(NotifyCoordinator)).Where(n => n.Kind == NoticeKind.ParentDeadlineNear).ToList();

    [Fact]
    public void Collecting_WarningBeforeTheDeadline_BothCoordinatorsWarnedOnceThenTheDeadline()
    {
        var warnAt = RoundScript.Start.AddDays(5);
        var script = new RoundScript(LinkedPlan(warnAt), new RoundInput("parent-soia-1")).Run();
        Assert.Equal([warnAt], script.LiveTimers);

        script.AdvanceTo(warnAt.AddHours(1));

        Assert.Equal([new CoordinatorNotice("parent-soia-1", NoticeKind.ParentDeadlineNear, 1)], Warnings(script));
        Assert.Equal([script.Plan.Deadline.UtcDateTime], script.LiveTimers);
        script.PassDeadline();
        Assert.Single(Warnings(script));
        Assert.Contains(nameof(AssemblePosition), script.Activities);
    }

    [Fact]
    public void Collecting_ReminderAtTheSameTime_WarnedAndReminded()
    {
        var plan = LinkedPlan(RoundScript.Start.AddDays(6)) with { ReminderOffsets = [TimeSpan.FromDays(1)] };
        var script = new RoundScript(plan, new RoundInput("parent-soia-1")).Run();

        script.AdvanceTo(RoundScript.Start.AddDays(6).AddMinutes(1));

        Assert.Single(Warnings(script));
        Assert.Single(script.InputsOf<EmailBatch>(nameof(SendEmails)), b => b.Kind == MessageKind.Reminder);
    }

    [Fact]
    public void Review_WarningAfterTheSoiaDeadline_TheDraftInReviewStillWarns()
    {
        // The usual case: the SOIA deadline falls a day before the COORMULTI deadline, the warning half a day before it.
        var warnAt = RoundScript.Start.AddDays(7).AddHours(12);
        var script = new RoundScript(LinkedPlan(warnAt), new RoundInput("parent-soia-1")).Run();
        script.Reply("education").Reply("environment").Reply("culture-youth-media");
        script.PassDeadline();
        Assert.Empty(Warnings(script));
        Assert.Equal([warnAt], script.LiveTimers);

        script.AdvanceTo(warnAt);

        Assert.Single(Warnings(script));
        Assert.Empty(script.LiveTimers);
        Assert.True(script.IsWaitingForSignal);
    }

    [Fact]
    public async Task Review_ApprovedBeforeTheWarning_NoWarning()
    {
        var warnAt = RoundScript.Start.AddDays(7).AddHours(12);
        var script = new RoundScript(LinkedPlan(warnAt), new RoundInput("parent-soia-1")).Run();
        script.Reply("education").Reply("environment").Reply("culture-youth-media");

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        await script.Running;
        Assert.Empty(Warnings(script));
        Assert.Empty(script.LiveTimers);
    }

    [Fact]
    public void OlderVersion_PlanWithAWarningTime_WakesUpOnlyForTheDeadline()
    {
        var warnAt = RoundScript.Start.AddDays(5);
        var script = new RoundScript(LinkedPlan(warnAt), new RoundInput("parent-soia-1")) { Version = RoundWorkflowVersions.BoundedHistory }.Run();

        Assert.Equal([script.Plan.Deadline.UtcDateTime], script.LiveTimers);
        script.PassDeadline();
        Assert.Empty(Warnings(script));
    }

    [Fact]
    public async Task FreshHistory_WarningNotGivenYet_GoesAlongAndIsGivenThere()
    {
        var warnAt = RoundScript.Start.AddDays(5);
        var everyone = Enumerable.Range(0, ConsultationRound.SignalsPerHistory + 5).Select(i => $"p{i:D3}").ToArray();
        var plan = RoundScript.PlanFor(everyone) with { ParentRoundId = "parent", ParentDeadlineWarningAt = new DateTimeOffset(warnAt, TimeSpan.Zero) };
        var script = new RoundScript(plan, new RoundInput("parent-soia-1")).Run();
        script.AdvanceTo(RoundScript.Start.AddMinutes(1));
        foreach (var participant in everyone.Take(ConsultationRound.SignalsPerHistory))
        {
            script.Reply(participant);
        }

        await script.Running;
        var carried = script.ContinuedAsNew!;
        Assert.Equal(warnAt, carried.Progress!.Plan.ParentDeadlineWarningAt!.Value.UtcDateTime);

        var next = new RoundScript(plan, carried).Run();
        Assert.Equal([warnAt], next.LiveTimers);
        next.AdvanceTo(warnAt);
        Assert.Single(Warnings(next));
    }

    [Fact]
    public void Carry_AfterTheWarning_NothingLeftToWarn()
    {
        var warnAt = RoundScript.Start.AddDays(5);
        var round = new RoundIteration(LinkedPlan(warnAt), RoundScript.Start, warnsBeforeParentDeadline: true);
        Assert.Equal(warnAt, round.NextWakeUp());

        round.ParentDeadlineWarned();

        Assert.Null(round.Carry(draft: null).Plan.ParentDeadlineWarningAt);
        Assert.Equal(RoundScript.Start.AddDays(7), round.NextWakeUp());
        Assert.Null(RoundIteration.Resume(round.Carry(null), warnsBeforeParentDeadline: true).ParentDeadlineWarningAt);
    }
}
