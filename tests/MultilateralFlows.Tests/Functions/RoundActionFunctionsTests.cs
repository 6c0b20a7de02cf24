using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Functions.Rounds;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Functions;

/// <summary>The coordinator's actions on a round: each checks the round's state and hands a signal to the round, or says why not.</summary>
public sealed class RoundActionFunctionsTests : IClassFixture<WorkflowServicesFixture>
{
    readonly WorkflowServicesFixture services;
    readonly Mock<DurableTaskClient> client = new("test");

    public RoundActionFunctionsTests(WorkflowServicesFixture services)
    {
        this.services = services;

        // Every round here has a running workflow, unless a test says otherwise.
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new OrchestrationMetadata(nameof(ConsultationRound), id) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
    }

    RoundFunctions Functions => new(services.Get<RoundsApi>(), services.Get<RoundActionsApi>());

    RoundStore Store => services.Get<RoundStore>();

    RequestStore Requests => services.Get<RequestStore>();

    ContributionStore Contributions => services.Get<ContributionStore>();

    [Fact]
    public async Task MoveDeadline_ValidFutureDeadline_202AndTheRoundIsSignalled()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.Request("POST", """{"deadline":"2027-01-15T12:00:00+01:00"}""");

        var (status, _, _) = await services.ExecuteAsync(await Functions.MoveDeadline(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(202, status);
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName,
            It.Is<RoundSignal>(s => s.Kind == RoundSignalKind.DeadlineMoved && s.Deadline == new DateTimeOffset(2027, 1, 15, 11, 0, 0, TimeSpan.Zero)),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("""{"deadline":"2020-01-01T00:00:00Z"}""", 400)]
    [InlineData("""{"deadline":"soon"}""", 400)]
    [InlineData("""{}""", 400)]
    [InlineData("""{"deadline":17}""", 400)]
    [InlineData("not json", 400)]
    public async Task MoveDeadline_BadBody_4xxAndNoSignal(string body, int expected)
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.Request("POST", body);

        var (status, _, _) = await services.ExecuteAsync(await Functions.MoveDeadline(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(expected, status);
        client.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task MoveDeadline_RepliesAlreadyClosed_409()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        await new CloseCollection(Requests, services.Get<AuditLog>()).RunAsync(new RoundInput(round.Id));
        var request = services.Request("POST", """{"deadline":"2027-01-15T12:00:00Z"}""");

        var (status, body, _) = await services.ExecuteAsync(await Functions.MoveDeadline(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(409, status);
        Assert.Contains("reopen", WorkflowServicesFixture.Json(body)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        client.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Remind_SomeoneSilent_202_EveryoneReplied_409()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services, TestRounds.Soia("education"));

        var (first, _, _) = await services.ExecuteAsync(await Functions.RemindParticipants(services.Request("POST"), round.Id, client.Object, CancellationToken.None));
        await Contributions.SaveAsync((await Store.GetAsync(round.Id, CancellationToken.None))!, "education",
            [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        var (second, _, _) = await services.ExecuteAsync(await Functions.RemindParticipants(services.Request("POST"), round.Id, client.Object, CancellationToken.None));

        Assert.Equal(202, first);
        Assert.Equal(409, second);
        Assert.NotEmpty(tokens);
    }

    [Fact]
    public async Task Remind_ReopenedRoundWhereEveryoneAnsweredTheFirstIteration_202ThenAReplyToTheSecond_409()
    {
        var (round, _) = await StoredRounds.OpenAsync(services, TestRounds.Soia("education"));
        ItemReply[] answers = [new ItemReply("5.I", Stance.Objection, "No."), new ItemReply("12", Stance.Agree, null)];
        await Contributions.SaveAsync(
            (await Store.GetAsync(round.Id, CancellationToken.None))!, "education", answers, "test", CancellationToken.None);
        await Requests.CloseCollectionAsync(round.Id, CancellationToken.None);
        await Requests.ReopenAsync(round.Id, 2, ["5.I"], DateTimeOffset.UtcNow.AddDays(7), CancellationToken.None);

        // The first iteration's reply does not answer the reopened item: there is someone to remind.
        var (first, _, _) = await services.ExecuteAsync(await Functions.RemindParticipants(services.Request("POST"), round.Id, client.Object, CancellationToken.None));
        await Contributions.SaveAsync((await Store.GetAsync(round.Id, CancellationToken.None))!, "education",
            [new ItemReply("5.I", Stance.Agree, null), answers[1]], "test", CancellationToken.None);
        var (second, _, _) = await services.ExecuteAsync(await Functions.RemindParticipants(services.Request("POST"), round.Id, client.Object, CancellationToken.None));

        Assert.Equal(202, first);
        Assert.Equal(409, second);
    }

    [Fact]
    public async Task Review_WhileCollecting_409()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.Request("POST", """{"decision":"approve"}""");

        var (status, _, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(409, status);
        client.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Review_ApproveInReview_202WithTheDecisionSignalled()
    {
        var round = await InReviewAsync(divergent: false);
        var request = services.Request("POST", """{"decision":"approve","comments":"Fine.","version":1}""");

        var (status, _, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(202, status);
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName,
            It.Is<RoundSignal>(s => s.Kind == RoundSignalKind.Review && s.Decision == ReviewDecision.Approve && s.Comments == "Fine."),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Review_Approve_RepliesCloseBeforeTheAnswerSoALaterReplyIsRefused()
    {
        var round = await InReviewAsync(divergent: false);
        var request = services.Request("POST", """{"decision":"approve","version":1}""");

        var (status, _, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);
        var late = await Contributions.SaveAsync(
            (await Store.GetAsync(round.Id, CancellationToken.None))!, "education", [new ItemReply("5.I", Stance.Objection, "Too late?")], "test", CancellationToken.None);

        Assert.Equal(202, status);
        Assert.Equal(SaveOutcome.Closed, late.Outcome);
        Assert.NotNull((await Store.GetAsync(round.Id, CancellationToken.None))!.CollectionClosedAt);
    }

    [Fact]
    public async Task Review_ApproveADraftWithoutTheLatestReply_409RepliesStayOpenAndNothingSignalled()
    {
        var round = await InReviewAsync(divergent: false);
        // An amendment stored after the draft the coordinator is looking at: the round has not made the next draft yet.
        await Contributions.SaveAsync(
            (await Store.GetAsync(round.Id, CancellationToken.None))!, "education", [new ItemReply("5.I", Stance.Objection, "On second thought, no.")], "test", CancellationToken.None);
        var request = services.Request("POST", """{"decision":"approve","version":1}""");

        var (status, body, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(409, status);
        Assert.Contains("latest replies of education", WorkflowServicesFixture.Json(body)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await Store.GetAsync(round.Id, CancellationToken.None))!.CollectionClosedAt);
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("""{"decision":"maybe"}""", 400)]
    [InlineData("""{"decision":"approve","deadline":"2027-01-01T00:00:00Z"}""", 400)]
    [InlineData("""{"decision":"approve","version":7}""", 409)]
    [InlineData("""{"decision":"reopen"}""", 409)]
    public async Task Review_BadOrImpossibleDecision_4xxAndNoSignal(string body, int expected)
    {
        var round = await InReviewAsync(divergent: false);
        var request = services.Request("POST", body);

        var (status, _, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(expected, status);
        client.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Review_ReopenWithDivergence_202()
    {
        var round = await InReviewAsync(divergent: true);
        var request = services.Request("POST", """{"decision":"reopen","deadline":"2027-01-20"}""");

        var (status, _, _) = await services.ExecuteAsync(await Functions.ReviewPosition(request, round.Id, client.Object, CancellationToken.None), request);

        Assert.Equal(202, status);
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName,
            It.Is<RoundSignal>(s => s.Decision == ReviewDecision.Reopen && s.Deadline != null), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Cancel_ActiveRoundWithoutBody_202_FinalRound_409()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);

        var (active, _, _) = await services.ExecuteAsync(await Functions.RequestCancellation(services.Request("POST"), round.Id, client.Object, CancellationToken.None));
        await Store.SetPhaseAsync(round.Id, RoundPhase.Final, 3, CancellationToken.None);
        var (final, _, _) = await services.ExecuteAsync(await Functions.RequestCancellation(services.Request("POST"), round.Id, client.Object, CancellationToken.None));

        Assert.Equal(202, active);
        Assert.Equal(409, final);
    }

    [Fact]
    public async Task Actions_UnknownRound_404()
    {
        var missing = RoundIds.New();

        var (status, _, _) = await services.ExecuteAsync(await Functions.RemindParticipants(services.Request("POST"), missing, client.Object, CancellationToken.None));

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task ListRounds_FilterOnPhase_ShowsOnlyThatPhaseNewestFirst()
    {
        var (collecting, _) = await StoredRounds.OpenAsync(services);
        var reviewing = await InReviewAsync(divergent: false);
        var request = services.Request("GET");
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?phase=Reviewing&top=500");

        var (status, body, _) = await services.ExecuteAsync(await Functions.ListRounds(request, CancellationToken.None));

        Assert.Equal(200, status);
        var ids = WorkflowServicesFixture.Json(body)["rounds"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(reviewing.Id, ids);
        Assert.DoesNotContain(collecting.Id, ids);
    }

    [Theory]
    [InlineData("?phase=Sleeping")]
    [InlineData("?top=0")]
    [InlineData("?top=lots")]
    [InlineData("?procedure=G20")]
    public async Task ListRounds_BadFilter_400(string query)
    {
        var request = services.Request("GET");
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);

        var (status, _, _) = await services.ExecuteAsync(await Functions.ListRounds(request, CancellationToken.None));

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task GetAudit_Round_ListsItsStepsInOrder()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);

        var (status, body, _) = await services.ExecuteAsync(await Functions.GetAudit(services.Request("GET"), round.Id, CancellationToken.None));

        Assert.Equal(200, status);
        var actions = WorkflowServicesFixture.Json(body)["entries"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Equal(["RoundCreated", "RequestsPrepared"], actions);
    }

    /// <summary>A round whose draft (version 1) has been assembled from replies, with or without an objection.</summary>
    async Task<RoundDefinition> InReviewAsync(bool divergent)
    {
        var (round, _) = await StoredRounds.OpenAsync(services, TestRounds.Soia("education"));
        var record = (await Store.GetAsync(round.Id, CancellationToken.None))!;
        await Contributions.SaveAsync(record, "education",
            [new ItemReply("5.I", divergent ? Stance.Objection : Stance.Agree, divergent ? "No." : null), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        await services.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1));
        return round;
    }
}
