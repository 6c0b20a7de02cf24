using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Functions.Rounds;
using MultilateralFlows.Http;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Functions;

/// <summary>
/// Who acts for the coordinator (issue 13): named in <c>X-Acting-Coordinator</c> until sign-in exists, recorded as the
/// audit's actor of every coordinator action, and said honestly when nobody was named.
/// </summary>
public sealed class ActingCoordinatorTests : IClassFixture<WorkflowServicesFixture>
{
    const string Person = "jan.peeters@diplobel.fed.be";
    readonly WorkflowServicesFixture services;
    readonly Mock<DurableTaskClient> client = new("test");

    public ActingCoordinatorTests(WorkflowServicesFixture services)
    {
        this.services = services;
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new OrchestrationMetadata(nameof(ConsultationRound), id) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
    }

    RoundFunctions Functions => new(services.Get<RoundsApi>(), services.Get<RoundActionsApi>());

    static HttpRequest Named(HttpRequest request, params string[] values)
    {
        request.Headers[ActingCoordinator.HeaderName] = values;
        return request;
    }

    [Theory]
    [InlineData(null, "coordinator (not named) for desk@diplobel.fed.be")]
    [InlineData("", "coordinator (not named) for desk@diplobel.fed.be")]
    [InlineData(" an.devos@vlaanderen.be ", "coordinator an.devos@vlaanderen.be")]
    public void From_AbsentOrAnAddress_TheActorTheAuditNames(string? header, string actor)
    {
        var request = services.Request("POST");
        if (header is not null)
        {
            Named(request, header);
        }

        var (acting, problem) = ActingCoordinator.FromHeader(request);

        Assert.Null(problem);
        Assert.Equal(actor, acting!.ActorFor("desk@diplobel.fed.be"));
    }

    [Theory]
    [InlineData("jan")]
    [InlineData("jan@localhost")]
    [InlineData("jan@diplobel.fed.be, an@vlaanderen.be")]
    public async Task From_NotOneAddress_400WithTheHeaderAsTheField(string header)
    {
        var (acting, problem) = ActingCoordinator.FromHeader(Named(services.Request("POST"), header));

        Assert.Null(acting);
        var (status, body, _) = await services.ExecuteAsync(problem!);
        Assert.Equal(400, status);
        Assert.NotNull(WorkflowServicesFixture.Json(body)["errors"]![ActingCoordinator.HeaderName]);
    }

    [Fact]
    public void From_TheHeaderTwice_400()
    {
        var (_, problem) = ActingCoordinator.FromHeader(Named(services.Request("POST"), Person, "an.devos@vlaanderen.be"));

        Assert.NotNull(problem);
    }

    [Fact]
    public async Task Review_ApproveNamed_TheAuditAndTheSignalNameThePerson()
    {
        var round = await InReviewAsync();
        var request = Named(services.Request("POST", """{"decision":"approve"}"""), Person);

        var (status, _, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(202, status);
        Assert.Equal($"coordinator {Person}", await ActorOfAsync(round.Id, "ReviewRequested"));
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName,
            It.Is<RoundSignal>(s => s.Decision == ReviewDecision.Approve && s.Actor == $"coordinator {Person}"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Review_MalformedHeader_400AndNothingSignalledOrAudited()
    {
        var round = await InReviewAsync();
        var request = Named(services.Request("POST", """{"decision":"approve"}"""), "not-an-address");

        var (status, _, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(400, status);
        Assert.Null(await ActorOfAsync(round.Id, "ReviewRequested"));
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Remind_NotNamed_TheAuditSaysNobodyWasNamedForTheRoundsAddress()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);

        var (status, _, _) = await services.ExecuteAsync(
            await Functions.RemindParticipants(services.Request("POST"), round.Id, client.Object, CancellationToken.None));

        Assert.Equal(202, status);
        Assert.Equal($"coordinator (not named) for {round.CoordinatorEmail}", await ActorOfAsync(round.Id, "RemindNowRequested"));
    }

    [Fact]
    public async Task MoveDeadlineAndCancel_Named_TheAuditNamesThePerson()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);

        var deadline = Named(services.Request("POST", """{"deadline":"2027-01-15T12:00:00+01:00"}"""), Person);
        await services.ExecuteAsync(await Functions.MoveDeadline(deadline, round.Id, client.Object, CancellationToken.None), deadline);
        var cancel = Named(services.Request("POST", """{"reason":"Withdrawn."}"""), Person);
        await services.ExecuteAsync(await Functions.RequestCancellation(cancel, round.Id, client.Object, CancellationToken.None), cancel);

        Assert.Equal($"coordinator {Person}", await ActorOfAsync(round.Id, "DeadlineMovedRequested"));
        Assert.Equal($"coordinator {Person}", await ActorOfAsync(round.Id, "CancelRequested"));
    }

    [Fact]
    public async Task StartRound_Named_TheRoundIsCreatedInThePersonsName()
    {
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(
                It.IsAny<Microsoft.DurableTask.TaskName>(), It.IsAny<object?>(), It.IsAny<Microsoft.DurableTask.StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Microsoft.DurableTask.TaskName _, object? _, Microsoft.DurableTask.StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);
        var request = Named(services.Request("POST", RoundRequests.Soia().ToJsonString()), Person);

        var (status, body, _) = await services.ExecuteAsync(await Functions.StartRound(request, client.Object, CancellationToken.None), request);

        Assert.Equal(202, status);
        Assert.Equal($"coordinator {Person}", await ActorOfAsync(WorkflowServicesFixture.Json(body)["id"]!.GetValue<string>(), "RoundCreated"));
    }

    [Fact]
    public async Task StartRound_MalformedHeader_400AndNothingStored()
    {
        var request = Named(services.Request("POST", RoundRequests.Soia().ToJsonString()), "someone");

        var (status, _, _) = await services.ExecuteAsync(await Functions.StartRound(request, client.Object, CancellationToken.None), request);

        Assert.Equal(400, status);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.IsAny<Microsoft.DurableTask.TaskName>(), It.IsAny<object?>(), It.IsAny<Microsoft.DurableTask.StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AssemblePosition_FinalApprovedByAPerson_TheAuditNamesWhoApproved()
    {
        var round = await InReviewAsync();

        await services.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 2, Final: true, ApprovedBy: $"coordinator {Person}"));

        Assert.Equal($"coordinator {Person}", await ActorOfAsync(round.Id, "PositionApproved"));
    }

    async Task<string?> ActorOfAsync(string roundId, string action) =>
        (await services.Get<AuditLog>().GetAsync(roundId, CancellationToken.None)).LastOrDefault(a => a.Action == action)?.Actor;

    async Task<RoundDefinition> InReviewAsync()
    {
        var (round, _) = await StoredRounds.OpenAsync(services, TestRounds.Soia("education"));
        var record = (await services.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None))!;
        await services.Get<ContributionStore>().SaveAsync(
            record, "education", [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        await services.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1));
        return round;
    }
}
