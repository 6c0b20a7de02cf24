using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Functions.Replies;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Functions;

/// <summary>The participant's entry points with a mocked Durable Task client, on real storage.</summary>
public sealed class ReplyFunctionsTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    const string Answers = """{"items":[{"itemId":"5.I","stance":"Objection","remarks":"Too costly <b>now</b>."},{"itemId":"12","stance":"Agree"}]}""";

    readonly Mock<DurableTaskClient> client = new("test");

    ReplyFunctions Functions => new(services.Get<ReplyApi>());

    [Fact]
    public async Task ShowReplyForm_ValidToken_ShowsTheDossierAndChangesNothing()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        var before = await PartitionAsync(round.Id);

        var (status, body, headers) = await services.ExecuteAsync(await Functions.ShowReplyForm(services.Request("GET"), tokens["education"], CancellationToken.None));

        Assert.Equal(200, status);
        Assert.Contains(round.Title, body, StringComparison.Ordinal);
        Assert.Contains("name=\"stance.5.I\"", body, StringComparison.Ordinal);
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());
        Assert.Equal(before, await PartitionAsync(round.Id));
    }

    [Fact]
    public async Task SubmitReply_ValidJson_StoresVersionOneAndSignalsTheRound()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        var request = services.Request("POST", Answers);

        var (status, body, headers) = await services.ExecuteAsync(await Functions.SubmitReply(request, tokens["education"], client.Object, CancellationToken.None), request);

        Assert.Equal(200, status);
        Assert.Equal(1, WorkflowServicesFixture.Json(body)["version"]!.GetValue<int>());
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
        var stored = await services.Get<ContributionStore>().GetLatestAsync(round.Id, CancellationToken.None);
        Assert.Equal("Too costly <b>now</b>.", stored.Single(c => c.Participant == "education").Items[0].Remarks);
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName, RoundSignal.Reply("education", 1), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SubmitReply_TheRoundCannotBeSignalled_503WithRetryAfterAndTheReplyIsKept()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        client.Setup(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("The task hub's storage did not answer."));
        var request = services.Request("POST", Answers);

        var (status, body, headers) = await services.ExecuteAsync(await Functions.SubmitReply(request, tokens["education"], client.Object, CancellationToken.None), request);

        // Not "recorded": the participant sends it again, and that version reaches the round. Nothing is lost meanwhile.
        Assert.Equal(503, status);
        Assert.Contains("send it again", WorkflowServicesFixture.Json(body)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("30", headers.RetryAfter.ToString());
        var stored = await services.Get<ContributionStore>().GetLatestAsync(round.Id, CancellationToken.None);
        Assert.Equal(1, stored.Single(c => c.Participant == "education").Version);
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName, RoundSignal.Reply("education", 1), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task SubmitReply_PastTheMostVersions_409InJsonAndOnThePageAndNothingMoreStoredOrSignalled()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        var most = services.Get<ContributionStore>().MaxVersions;
        for (var version = 1; version <= most; version++)
        {
            await Functions.SubmitReply(services.Request("POST", Answers), tokens["education"], client.Object, CancellationToken.None);
        }

        var json = services.Request("POST", Answers);
        var (jsonStatus, jsonBody, _) = await services.ExecuteAsync(await Functions.SubmitReply(json, tokens["education"], client.Object, CancellationToken.None), json);
        var form = services.Request("POST", "stance.5.I=Agree&remarks.5.I=one+more+thought&stance.12=Agree", "application/x-www-form-urlencoded");
        var (pageStatus, pageBody, _) = await services.ExecuteAsync(await Functions.SubmitReply(form, tokens["education"], client.Object, CancellationToken.None), form);

        Assert.Equal(409, jsonStatus);
        Assert.Contains($"{most} versions", WorkflowServicesFixture.Json(jsonBody)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(409, pageStatus);
        Assert.Contains($"{most} versies van dit antwoord", pageBody, StringComparison.Ordinal); // the participant reads Dutch
        Assert.Contains("one more thought", pageBody, StringComparison.Ordinal);
        var stored = await services.Get<ContributionStore>().GetLatestAsync(round.Id, CancellationToken.None);
        Assert.Equal(most, stored.Single(c => c.Participant == "education").Version);
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName, RoundSignal.Reply("education", most + 1), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SubmitReply_SecondTime_StoresVersionTwoAndKeepsVersionOne()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        await Functions.SubmitReply(services.Request("POST", Answers), tokens["education"], client.Object, CancellationToken.None);

        var amend = services.Request("POST", """{"items":[{"itemId":"5.I","stance":"Agree"}]}""");
        var (status, body, _) = await services.ExecuteAsync(await Functions.SubmitReply(amend, tokens["education"], client.Object, CancellationToken.None), amend);

        Assert.Equal(200, status);
        Assert.Equal(2, WorkflowServicesFixture.Json(body)["version"]!.GetValue<int>());
        var history = await services.Get<ContributionStore>().GetHistoryAsync(round.Id, "education", CancellationToken.None);
        Assert.Equal([1, 2], history.Select(h => h.Version));
        Assert.Equal("Objection", history[0].Items[0].Stance.ToString());
        Assert.Equal("Agree", history[1].Items[0].Stance.ToString());
        Assert.Equal("Agree", history[1].Items[1].Stance.ToString());
    }

    [Fact]
    public async Task SubmitReply_FormPost_AnswersWithAConfirmationPageThatEncodesRemarks()
    {
        var (_, tokens) = await StoredRounds.OpenAsync(services);
        var request = services.Request("POST", "stance.5.I=Objection&remarks.5.I=%3Cscript%3Ex%3C%2Fscript%3E&stance.12=Agree", "application/x-www-form-urlencoded");

        var (status, body, _) = await services.ExecuteAsync(await Functions.SubmitReply(request, tokens["environment"], client.Object, CancellationToken.None), request);

        Assert.Equal(200, status);
        Assert.Contains("uw antwoord is geregistreerd", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>x", body, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitReply_AfterTheRoundClosed_410AndNothingStored()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        await services.Get<RequestStore>().CloseCollectionAsync(round.Id, CancellationToken.None);
        var request = services.Request("POST", Answers);

        var (status, _, _) = await services.ExecuteAsync(await Functions.SubmitReply(request, tokens["education"], client.Object, CancellationToken.None), request);

        Assert.Equal(410, status);
        Assert.Empty(await services.Get<ContributionStore>().GetLatestAsync(round.Id, CancellationToken.None));
        client.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Reply_TamperedTruncatedOrForeignToken_SameNotFoundAnswerAndNothingStored()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        var token = tokens["education"];
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        string[] wrong = [tampered, token[..^1], token + "A", "unknown-token", new string('A', 43)];

        var answers = new List<(int, string)>();
        foreach (var candidate in wrong)
        {
            var (getStatus, getBody, _) = await services.ExecuteAsync(await Functions.ShowReplyForm(services.Request("GET"), candidate, CancellationToken.None));
            var post = services.Request("POST", Answers);
            var (postStatus, postBody, _) = await services.ExecuteAsync(await Functions.SubmitReply(post, candidate, client.Object, CancellationToken.None), post);
            answers.Add((getStatus, getBody));
            answers.Add((postStatus, WorkflowServicesFixture.Json(postBody)["detail"]!.GetValue<string>()));
        }

        Assert.All(answers, a => Assert.Equal(404, a.Item1));
        Assert.Single(answers.Where((_, i) => i % 2 == 0).Select(a => a.Item2).Distinct());
        Assert.Single(answers.Where((_, i) => i % 2 == 1).Select(a => a.Item2).Distinct());
        Assert.Empty(await services.Get<ContributionStore>().GetLatestAsync(round.Id, CancellationToken.None));
    }

    [Fact]
    public async Task SubmitReply_UnknownStanceOrItem_400ProblemAndNothingStored()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);
        var request = services.Request("POST", """{"items":[{"itemId":"5.I","stance":"Maybe"},{"itemId":"99","stance":"Agree"}]}""");

        var (status, body, _) = await services.ExecuteAsync(await Functions.SubmitReply(request, tokens["education"], client.Object, CancellationToken.None), request);

        Assert.Equal(400, status);
        var errors = WorkflowServicesFixture.Json(body)["errors"]!.AsObject();
        Assert.Contains("items[0].stance", errors.Select(e => e.Key));
        Assert.Contains("items[1].itemId", errors.Select(e => e.Key));
        Assert.Empty(await services.Get<ContributionStore>().GetLatestAsync(round.Id, CancellationToken.None));
    }

    async Task<string> PartitionAsync(string roundId)
    {
        var rows = new List<string>();
        await foreach (var row in services.Storage.Tables.GetTableClient("Rounds").QueryAsync<TableEntity>(e => e.PartitionKey == roundId))
        {
            rows.Add($"{row.RowKey}:{row.ETag}");
        }

        return string.Join('\n', rows);
    }
}
