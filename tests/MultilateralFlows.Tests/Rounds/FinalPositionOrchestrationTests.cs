using Microsoft.DurableTask;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>
/// After the approval (issue 13): the final position goes out from orchestrator version 2.2 on, rounds on older versions
/// end as they did, and the approval and a reopening carry the acting coordinator to the audit.
/// </summary>
public sealed class FinalPositionOrchestrationTests
{
    static readonly string[] Three = ["education", "environment", "culture-youth-media"];

    static RoundScript Reviewing(string? version = null, RoundPlan? plan = null, RoundInput? input = null)
    {
        var script = new RoundScript(plan ?? RoundScript.PlanFor(Three), input) { DivergentItems = ["5.I"] };
        if (version is not null)
        {
            script.Version = version;
        }

        return script.Run().Reply("education").Reply("environment").Reply("culture-youth-media");
    }

    [Fact]
    public async Task Approve_OnTheCurrentVersion_DistributesTheFinalVersionOnceAfterTheCoordinatorsNotice()
    {
        var script = Reviewing();

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        Assert.Equal(new RoundOutcome("r1", RoundPhase.Final, 2), await script.Running);
        Assert.Equal(new FinalPositionDistribution("r1", 2), script.InputsOf<FinalPositionDistribution>(nameof(DistributeFinalPosition)).Single());
        Assert.Equal([nameof(AssemblePosition), nameof(NotifyCoordinator), nameof(DistributeFinalPosition)], script.Activities.TakeLast(3));
    }

    [Theory]
    [InlineData(RoundWorkflowVersions.Unversioned)]
    [InlineData("2.0")]
    [InlineData(RoundWorkflowVersions.BoundedHistory)]
    public async Task Approve_OnAnOlderVersion_EndsAsItDidWithoutDistributing(string version)
    {
        var script = Reviewing(version);

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        Assert.Equal(RoundPhase.Final, (await script.Running).Phase);
        Assert.DoesNotContain(nameof(DistributeFinalPosition), script.Activities);
        Assert.Equal(nameof(NotifyCoordinator), script.Activities[^1]);
    }

    [Fact]
    public void Versions_DistributionFromTwoPointTwo_IsTheCurrentShape()
    {
        Assert.Equal("2.2", RoundWorkflowVersions.DistributesFinalPosition);
        Assert.Equal(RoundWorkflowVersions.DistributesFinalPosition, RoundWorkflowVersions.Current);
        Assert.True(RoundWorkflowVersions.DistributesPosition("2.2"));
        Assert.True(RoundWorkflowVersions.DistributesPosition("10.0"));
        Assert.False(RoundWorkflowVersions.DistributesPosition("2.1"));
        Assert.False(RoundWorkflowVersions.DistributesPosition(""));
        Assert.False(RoundWorkflowVersions.DistributesPosition(null));
    }

    [Fact]
    public async Task Approve_TheMailServiceIsDownPastItsRetries_TheRoundIsStillFinal()
    {
        var script = new RoundScript(RoundScript.PlanFor(Three));
        script.Failing.Add(nameof(DistributeFinalPosition));
        script.Run().Reply("education").Reply("environment").Reply("culture-youth-media");

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        Assert.Equal(RoundPhase.Final, (await script.Running).Phase);
        Assert.Single(script.InputsOf<FinalPositionDistribution>(nameof(DistributeFinalPosition)));
    }

    [Fact]
    public async Task Approve_ALinkedSoiaRound_SubmitsToTheParentThenDistributesToItsAreas()
    {
        var plan = RoundScript.PlanFor(Three) with { ParentRoundId = "parent" };
        var script = Reviewing(plan: plan, input: new RoundInput("parent-soia-1"));

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null));

        await script.Running;
        Assert.Equal(new FinalPositionDistribution("parent-soia-1", 2), script.InputsOf<FinalPositionDistribution>(nameof(DistributeFinalPosition)).Single());
        Assert.True(script.Activities.ToList().IndexOf(nameof(SubmitToParentRound)) < script.Activities.ToList().IndexOf(nameof(DistributeFinalPosition)));
    }

    [Fact]
    public async Task Approve_NamedInTheSignal_TheFinalAssemblyNamesWhoApproved()
    {
        var script = Reviewing();

        script.Signal(RoundSignal.Review(ReviewDecision.Approve, null, null) with { Actor = "coordinator jan.peeters@diplobel.fed.be" });

        await script.Running;
        var final = script.InputsOf<ConsolidationRequest>(nameof(AssemblePosition)).Last();
        Assert.Equal(new ConsolidationRequest("r1", 2, Final: true, ApprovedBy: "coordinator jan.peeters@diplobel.fed.be"), final);
    }

    [Fact]
    public void Reopen_NamedInTheSignal_TheReopeningNamesWhoReopened()
    {
        var script = Reviewing();

        script.Signal(RoundSignal.Review(ReviewDecision.Reopen, "Converge.", null) with { Actor = "coordinator an.devos@vlaanderen.be" });

        Assert.Equal("coordinator an.devos@vlaanderen.be", script.InputsOf<ReopenRequest>(nameof(ReopenRound)).Single().ReopenedBy);
        Assert.DoesNotContain(nameof(DistributeFinalPosition), script.Activities);
    }
}
