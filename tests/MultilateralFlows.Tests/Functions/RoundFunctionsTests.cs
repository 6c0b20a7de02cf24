using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Functions.Rounds;
using MultilateralFlows.Rounds;
using MultilateralFlows.Testing;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Functions;

/// <summary>
/// The coordinator's entry points of the Functions app with a mocked Durable Task client and real storage. Alone in
/// its collection, run apart from the others, because it counts the rounds stored in the shared Azurite.
/// </summary>
[Collection(nameof(CountsStoredRounds))]
public sealed class RoundFunctionsTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    readonly Mock<DurableTaskClient> client = new("test");

    RoundFunctions Functions => new(services.Get<RoundsApi>(), services.Get<RoundActionsApi>());

    [Fact]
    public async Task StartRound_ValidRequest_StoresTheRoundStartsItsOrchestrationAndAnswers202()
    {
        string? scheduledId = null;
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(
                It.Is<TaskName>(n => n.Name == nameof(ConsultationRound)),
                It.IsAny<RoundInput>(),
                It.IsAny<StartOrchestrationOptions>(),
                It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? input, StartOrchestrationOptions? options, CancellationToken _) =>
            {
                scheduledId = options!.InstanceId;
                Assert.Equal(options.InstanceId, ((RoundInput)input!).RoundId);
            })
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);

        var request = services.Request("POST", RoundRequests.Soia().ToJsonString());
        var (status, body, headers) = await services.ExecuteAsync(await Functions.StartRound(request, client.Object, CancellationToken.None), request);

        Assert.Equal(202, status);
        var id = WorkflowServicesFixture.Json(body)["id"]!.GetValue<string>();
        Assert.Equal(id, scheduledId);
        Assert.Equal($"/api/rounds/{id}", headers.Location.ToString());
        Assert.NotNull(await services.Get<MultilateralFlows.Storage.RoundStore>().GetAsync(id, CancellationToken.None));
    }

    public static TheoryData<string, string, int> BadBodies => new()
    {
        { "{\"procedure\":", "application/json", 400 },
        { "[]", "application/json", 400 },
        { "null", "application/json", 400 },
        { "", "application/json", 400 },
        { RoundRequests.Soia().With("participants", new JsonArray("education", "atlantis")).ToJsonString(), "application/json", 400 },
        { RoundRequests.Soia().With("deadline", "2020-01-01T00:00:00Z").ToJsonString(), "application/json", 400 },
        { RoundRequests.Soia().With("title", 42).ToJsonString(), "application/json", 400 },
        { RoundRequests.Soia().Without("items").ToJsonString(), "application/json", 400 },
        { RoundRequests.Soia().ToJsonString(), "text/plain", 415 },
        { new string('[', 100) + new string(']', 100), "application/json", 400 },
        { $"{{\"title\":\"{new string('x', RoundsApi.MaxRoundRequestBytes)}\"}}", "application/json", 413 },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task StartRound_BadRequest_ProblemDetailsAndNothingStartedOrStored(string body, string contentType, int expectedStatus)
    {
        var roundsBefore = await CountRoundsAsync();
        var request = services.Request("POST", body, contentType);

        var (status, responseBody, headers) = await services.ExecuteAsync(await Functions.StartRound(request, client.Object, CancellationToken.None), request);

        Assert.Equal(expectedStatus, status);
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(WorkflowServicesFixture.Json(responseBody)["detail"]?.GetValue<string>()));
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(roundsBefore, await CountRoundsAsync());
    }

    [Fact]
    public async Task StartRound_WorkflowCannotBeStarted_503AndTheStoredRoundIsMarkedCancelled()
    {
        string? roundId = null;
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? input, StartOrchestrationOptions? _, CancellationToken _) => roundId = ((RoundInput)input!).RoundId)
            .ThrowsAsync(new InvalidOperationException("The task hub is unreachable."));
        var request = services.Request("POST", RoundRequests.Soia().ToJsonString());

        var (status, _, _) = await services.ExecuteAsync(await Functions.StartRound(request, client.Object, CancellationToken.None), request);

        Assert.Equal(503, status);
        var stored = await services.Get<MultilateralFlows.Storage.RoundStore>().GetAsync(roundId!, CancellationToken.None);
        Assert.Equal(RoundPhase.Cancelled, stored!.Phase);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("UPPER")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public async Task GetRound_UnknownOrMalformedId_404ProblemDetails(string id)
    {
        var (status, body, _) = await services.ExecuteAsync(await Functions.GetRound(services.Request("GET"), id, CancellationToken.None));

        Assert.Equal(404, status);
        Assert.NotNull(WorkflowServicesFixture.Json(body)["detail"]);
    }

    [Fact]
    public async Task GetPosition_UnknownFormat_400()
    {
        var request = services.Request("GET");
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?format=pdf");

        var (status, _, _) = await services.ExecuteAsync(await Functions.GetPosition(request, "r1", CancellationToken.None));

        Assert.Equal(400, status);
    }

    async Task<int> CountRoundsAsync()
    {
        var table = services.Storage.Tables.GetTableClient("Rounds");
        await table.CreateIfNotExistsAsync();
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.RowKey == "round", select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}

[CollectionDefinition(nameof(CountsStoredRounds), DisableParallelization = true)]
public sealed class CountsStoredRounds;
