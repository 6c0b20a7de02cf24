using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Functions.Rounds;
using MultilateralFlows.Http;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Functions;

/// <summary>
/// Settling an item of a round in review, and the approval it gates: a divergent item must be settled (or reopened)
/// before the position can be approved, and what is approved is the draft that shows every settlement.
/// </summary>
public sealed class SettlementFunctionsTests : IClassFixture<WorkflowServicesFixture>
{
    readonly WorkflowServicesFixture services;
    readonly Mock<DurableTaskClient> client = new("test");

    public SettlementFunctionsTests(WorkflowServicesFixture services)
    {
        this.services = services;
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new OrchestrationMetadata(nameof(ConsultationRound), id) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
    }

    SettlementFunctions Settlements => new(services.Get<SettlementApi>());

    RoundFunctions Rounds => new(services.Get<RoundsApi>(), services.Get<RoundActionsApi>());

    RoundStore Store => services.Get<RoundStore>();

    async Task<(int Status, string Body)> SettleAsync(string roundId, string itemId, string body, string? actingCoordinator = null)
    {
        var request = services.Request("POST", body);
        if (actingCoordinator is not null)
        {
            request.Headers[ActingCoordinator.HeaderName] = actingCoordinator;
        }

        var (status, answer, _) = await services.ExecuteAsync(await Settlements.SettleItem(request, roundId, itemId, client.Object, CancellationToken.None), request);
        return (status, answer);
    }

    async Task<(int Status, string Body)> ReviewAsync(string roundId, string body)
    {
        var request = services.Request("POST", body);
        var (status, answer, _) = await services.ExecuteAsync(await Rounds.ReviewPosition(request, roundId, client.Object, CancellationToken.None), request);
        return (status, answer);
    }

    /// <summary>A SOIA round whose draft (version 1) has item 5.I divergent (education objects) and 12 in consensus.</summary>
    async Task<RoundDefinition> InReviewWithDivergenceAsync()
    {
        var (round, _) = await StoredRounds.OpenAsync(services, TestRounds.Soia("education", "environment"));
        var record = (await Store.GetAsync(round.Id, CancellationToken.None))!;
        var contributions = services.Get<ContributionStore>();
        await contributions.SaveAsync(record, "education",
            [new ItemReply("5.I", Stance.Objection, "Cuts education."), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        await contributions.SaveAsync(record, "environment",
            [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        await AssembleDraftAsync(round.Id, 1);
        return round;
    }

    /// <summary>What the round does on a settlement signal: the next draft.</summary>
    Task<PositionSummary> AssembleDraftAsync(string roundId, int version) =>
        services.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(roundId, version));

    [Fact]
    public async Task Settle_InReview_StoredAuditedSignalledAndTheNextDraftShowsIt()
    {
        var round = await InReviewWithDivergenceAsync();

        var (status, body) = await SettleAsync(round.Id, "5.I",
            """{"how":"compromise","text":"  Zero real growth, with SDG 4 kept whole.  ","comments":"Agreed at the SOIA meeting.","version":1}""");
        var summary = await AssembleDraftAsync(round.Id, 2);

        Assert.Equal(202, status);
        var answer = WorkflowServicesFixture.Json(body);
        Assert.Equal("Compromise", answer["settlement"]!["how"]!.GetValue<string>());
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName,
            It.Is<RoundSignal>(s => s.Kind == RoundSignalKind.Settled && s.Id.StartsWith("settled:5.I:", StringComparison.Ordinal)),
            It.IsAny<CancellationToken>()), Times.Once);
        var draft = (await services.Get<PositionStore>().ReadDocumentAsync(round.Id, 2, CancellationToken.None))!;
        var settled = draft.Items.Single(i => i.ItemId == "5.I").Settlement!;
        Assert.Equal((SettlementKind.Compromise, "Zero real growth, with SDG 4 kept whole.", 1), (settled.How, settled.Text, settled.DraftVersion));
        Assert.Empty(summary.DivergentItems);
        var audit = await services.Get<AuditLog>().GetAsync(round.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "ItemSettled" && a.Detail.Contains("Agreed at the SOIA meeting.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settle_ActingCoordinatorNamed_TheAuditNamesThatPersonAndAMalformedHeaderIs400()
    {
        var round = await InReviewWithDivergenceAsync();

        var (malformed, _) = await SettleAsync(round.Id, "5.I", """{"how":"Abstain"}""", actingCoordinator: "two@a.example, b@c.example");
        var (settled, _) = await SettleAsync(round.Id, "5.I", """{"how":"Abstain"}""", actingCoordinator: "an.devos@vlaanderen.example");

        Assert.Equal((400, 202), (malformed, settled));
        var audit = await services.Get<AuditLog>().GetAsync(round.Id, CancellationToken.None);
        Assert.Equal("coordinator an.devos@vlaanderen.example", Assert.Single(audit, a => a.Action == "ItemSettled").Actor);
    }

    [Fact]
    public async Task Settle_AgainWithAnotherWay_ReplacesTheEarlierAndTheAuditKeepsBoth_TheSameAgainChangesNothing()
    {
        var round = await InReviewWithDivergenceAsync();

        await SettleAsync(round.Id, "5.I", """{"how":"Abstain"}""");
        var (_, first) = await SettleAsync(round.Id, "5.I", """{"how":"LeadEntity","leadEntity":"education"}""");
        var (again, second) = await SettleAsync(round.Id, "5.I", """{"how":"LeadEntity","leadEntity":"education"}""");

        Assert.Equal(202, again);
        Assert.Equal(WorkflowServicesFixture.Json(first)["settlement"]!.ToJsonString(), WorkflowServicesFixture.Json(second)["settlement"]!.ToJsonString());
        var stored = await services.Get<SettlementStore>().GetAllAsync(round.Id, CancellationToken.None);
        Assert.Equal(SettlementKind.LeadEntity, stored["5.I"].How);
        Assert.Equal("education", stored["5.I"].LeadEntity);
        var audit = await services.Get<AuditLog>().GetAsync(round.Id, CancellationToken.None);
        Assert.Equal(2, audit.Count(a => a.Action == "ItemSettled"));
    }

    [Fact]
    public async Task Settle_WhileCollecting_409_UnknownItem_404_UnknownRound_404()
    {
        var (collecting, _) = await StoredRounds.OpenAsync(services);
        var reviewing = await InReviewWithDivergenceAsync();

        var (whileCollecting, _) = await SettleAsync(collecting.Id, "5.I", """{"how":"Abstain"}""");
        var (unknownItem, _) = await SettleAsync(reviewing.Id, "99", """{"how":"Abstain"}""");
        var (unknownRound, _) = await SettleAsync(RoundIds.New(), "5.I", """{"how":"Abstain"}""");

        Assert.Equal((409, 404, 404), (whileCollecting, unknownItem, unknownRound));
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("""{"how":"maybe"}""", 400, "how")]
    [InlineData("""{}""", 400, "how")]
    [InlineData("""{"how":"Compromise"}""", 400, "text")]
    [InlineData("""{"how":"Compromise","text":"   "}""", 400, "text")]
    [InlineData("""{"how":"LeadEntity"}""", 400, "leadEntity")]
    [InlineData("""{"how":"LeadEntity","leadEntity":"federal"}""", 400, "leadEntity")]
    [InlineData("""{"how":"Abstain","leadEntity":"education"}""", 400, "leadEntity")]
    [InlineData("""{"how":"Consensus","text":"ok\u0000"}""", 400, "text")]
    [InlineData("""{"how":"Consensus","version":7}""", 409, null)]
    [InlineData("""not json""", 400, null)]
    public async Task Settle_BadOrStaleBody_4xxAndNothingStored(string body, int expected, string? field)
    {
        var round = await InReviewWithDivergenceAsync();

        var (status, answer) = await SettleAsync(round.Id, "5.I", body);

        Assert.Equal(expected, status);
        if (field is not null)
        {
            Assert.NotNull(WorkflowServicesFixture.Json(answer)["errors"]![field]);
        }

        Assert.Empty(await services.Get<SettlementStore>().GetAllAsync(round.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Settle_TextLongerThanARepliesRemarks_400()
    {
        var round = await InReviewWithDivergenceAsync();

        var (status, _) = await SettleAsync(round.Id, "5.I", $$"""{"how":"Compromise","text":"{{new string('x', SettlementApi.MaxTextLength + 1)}}"}""");

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Approve_DivergentItemNotSettled_409NamingItRepliesStayOpenAndNothingSignalled()
    {
        var round = await InReviewWithDivergenceAsync();

        var (status, body) = await ReviewAsync(round.Id, """{"decision":"approve","version":1}""");

        Assert.Equal(409, status);
        var detail = WorkflowServicesFixture.Json(body)["detail"]!.GetValue<string>();
        Assert.Contains("Item(s) 5.I", detail, StringComparison.Ordinal);
        Assert.Contains("settle", detail, StringComparison.Ordinal);
        Assert.Null((await Store.GetAsync(round.Id, CancellationToken.None))!.CollectionClosedAt);
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Approve_SettledButTheDraftWithItNotAssembledYet_409_ThenWithThatDraft_202AndNoLaterSettlement()
    {
        var round = await InReviewWithDivergenceAsync();
        await SettleAsync(round.Id, "5.I", """{"how":"Consensus","text":"Objection withdrawn at the meeting."}""");

        var (early, earlyBody) = await ReviewAsync(round.Id, """{"decision":"approve"}""");
        await AssembleDraftAsync(round.Id, 2);
        var (approved, _) = await ReviewAsync(round.Id, """{"decision":"approve","version":2}""");
        var (late, lateBody) = await SettleAsync(round.Id, "12", """{"how":"NoPosition"}""");

        Assert.Equal(409, early);
        Assert.Contains("on its way", WorkflowServicesFixture.Json(earlyBody)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(202, approved);
        Assert.Equal(409, late);
        Assert.Contains("approved", WorkflowServicesFixture.Json(lateBody)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("12", (await services.Get<SettlementStore>().GetAllAsync(round.Id, CancellationToken.None)).Keys);
    }

    [Fact]
    public async Task Reopen_EveryDivergentItemSettled_409_OneLeft_202()
    {
        var round = await InReviewWithDivergenceAsync();
        var (open, _) = await ReviewAsync(round.Id, """{"decision":"reopen"}""");
        await SettleAsync(round.Id, "5.I", """{"how":"NoPosition"}""");

        var (settled, body) = await ReviewAsync(round.Id, """{"decision":"reopen"}""");

        Assert.Equal(202, open);
        Assert.Equal(409, settled);
        Assert.Contains("Every divergent item is settled", WorkflowServicesFixture.Json(body)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRound_SettledItem_ShowsHowItWasSettled()
    {
        var round = await InReviewWithDivergenceAsync();
        await SettleAsync(round.Id, "5.I", """{"how":"LeadEntity","leadEntity":"environment"}""");

        var (status, body, _) = await services.ExecuteAsync(await Rounds.GetRound(services.Request("GET"), round.Id, CancellationToken.None));

        Assert.Equal(200, status);
        var items = WorkflowServicesFixture.Json(body)["items"]!.AsArray();
        Assert.Equal("LeadEntity", items.Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!["settled"]!.GetValue<string>());
        Assert.Null(items.Single(i => i!["itemId"]!.GetValue<string>() == "12")!["settled"]);
    }
}
