using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Functions.Rounds;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;
using MultilateralFlows.Tests.Builders;
using MultilateralFlows.Tests.Email;

namespace MultilateralFlows.Tests.Functions;

/// <summary>
/// A coordinator whose start request timed out sends it again with the same <c>Idempotency-Key</c>: one round, one set
/// of e-mails. Mocked Durable Task client, real storage.
/// </summary>
public sealed class StartRoundIdempotencyTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    readonly Mock<DurableTaskClient> client = new("test");
    readonly List<string> scheduled = [];

    RoundFunctions Functions => new(services.Get<RoundsApi>(), services.Get<RoundActionsApi>());

    static string NewKey() => $"start-{Guid.NewGuid()}";

    [Fact]
    public async Task StartRound_SameKeySameRequestTwice_OneRoundStartedAndTheRetryGetsIt()
    {
        SchedulingSucceeds();
        var body = RoundRequests.Soia().ToJsonString();
        var key = NewKey();

        var first = await StartAsync(body, key);
        client.Setup(c => c.GetInstanceAsync(first.Id!, It.IsAny<CancellationToken>())).ReturnsAsync(new OrchestrationMetadata(nameof(ConsultationRound), first.Id!));
        var again = await StartAsync(body, key);

        Assert.Equal((202, 202), (first.Status, again.Status));
        Assert.Equal(first.Id, again.Id);
        Assert.Equal([first.Id!], scheduled);
        Assert.Equal("true", again.Headers["Idempotent-Replayed"].ToString());
        Assert.Equal($"/api/rounds/{first.Id}", again.Headers.Location.ToString());
        Assert.False(first.Headers.ContainsKey("Idempotent-Replayed"));
    }

    [Fact]
    public async Task StartRound_SameKeyAnotherRequest_422AndNothingMoreStarted()
    {
        SchedulingSucceeds();
        var key = NewKey();
        var first = await StartAsync(RoundRequests.Soia().ToJsonString(), key);

        var other = await StartAsync(RoundRequests.Soia().With("title", "Another dossier").ToJsonString(), key);

        Assert.Equal(422, other.Status);
        Assert.Contains("different request", other.Body, StringComparison.Ordinal);
        Assert.Equal([first.Id!], scheduled);
    }

    [Fact]
    public async Task StartRound_FirstStoredTheRoundButItsWorkflowNeverStarted_RetriesWaitThenOneStartsIt()
    {
        // The first request's process dies between storing the round and starting its workflow.
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException("The process is going down."));
        var body = RoundRequests.Soia().ToJsonString();
        var key = NewKey();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StartAsync(body, key));
        SchedulingSucceeds();

        // While the first may still be at work, a retry is told to wait rather than start the same workflow beside it.
        var meanwhile = await StartAsync(body, key);
        await ClaimedLongAgoAsync(key);
        var again = await StartAsync(body, key);
        var afterThat = await StartAsync(body, key);

        Assert.Equal(409, meanwhile.Status);
        Assert.Equal((202, 202), (again.Status, afterThat.Status));
        Assert.Equal(again.Id, afterThat.Id);
        Assert.Equal([again.Id!], scheduled);
        Assert.Equal(RoundPhase.Collecting, (await services.Get<RoundStore>().GetAsync(again.Id!, CancellationToken.None))!.Phase);
    }

    [Fact]
    public async Task StartRound_WorkflowCouldNotBeStarted_TheKeyIsFreeForTheSameRequestAgain()
    {
        client.SetupSequence(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("The task hub is unreachable."))
            .ReturnsAsync("started");
        var body = RoundRequests.Soia().ToJsonString();
        var key = NewKey();

        var refused = await StartAsync(body, key);
        var again = await StartAsync(body, key);

        Assert.Equal((503, 202), (refused.Status, again.Status));
        Assert.NotNull(again.Id);
        Assert.Equal(RoundPhase.Collecting, (await services.Get<RoundStore>().GetAsync(again.Id!, CancellationToken.None))!.Phase);
    }

    [Fact]
    public async Task StartRound_ARetryStartedTheWorkflowFirst_TheFirstAnswers202AndTheRoundIsNotCancelled()
    {
        // The first request's start fails because the retry of the same request (same key) started the instance first.
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("An orchestration with this instance id already exists."));
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new OrchestrationMetadata(nameof(ConsultationRound), id));

        var answer = await StartAsync(RoundRequests.Soia().ToJsonString(), NewKey());

        Assert.Equal(202, answer.Status);
        Assert.Equal(RoundPhase.Collecting, (await services.Get<RoundStore>().GetAsync(answer.Id!, CancellationToken.None))!.Phase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\tinside")]
    [InlineData("ünicode")]
    public async Task StartRound_MalformedKey_400NamingTheHeaderAndNothingStarted(string key)
    {
        SchedulingSucceeds();

        var answer = await StartAsync(RoundRequests.Soia().ToJsonString(), key);

        Assert.Equal(400, answer.Status);
        Assert.Contains(StartKeyStore.HeaderName, answer.Body, StringComparison.Ordinal);
        Assert.Empty(scheduled);
    }

    [Fact]
    public async Task StartRound_KeyTooLongOrSentTwice_400AndNothingStarted()
    {
        SchedulingSucceeds();

        var tooLong = await StartAsync(RoundRequests.Soia().ToJsonString(), new string('k', StartKeyStore.MaxKeyLength + 1));
        var twice = await StartAsync(RoundRequests.Soia().ToJsonString(), NewKey(), NewKey());

        Assert.Equal((400, 400), (tooLong.Status, twice.Status));
        Assert.Empty(scheduled);
    }

    [Fact]
    public async Task Claim_WhileTheFirstIsBeingHandled_InProgressThenTakenOverOnceAbandoned()
    {
        var clock = new FixedTime(DateTimeOffset.UtcNow);
        var keys = new StartKeyStore(services.Get<WorkflowStorage>(), services.Get<RoundStore>(), clock);
        var key = NewKey();
        var fingerprint = StartKeyStore.Fingerprint("{}");

        var first = await keys.ClaimAsync(key, fingerprint, "round-a", CancellationToken.None);
        var meanwhile = await keys.ClaimAsync(key, fingerprint, "round-b", CancellationToken.None);
        clock.Now += StartKeyStore.AbandonedAfter + TimeSpan.FromSeconds(1);
        var later = await keys.ClaimAsync(key, fingerprint, "round-c", CancellationToken.None);
        var afterThat = await keys.ClaimAsync(key, fingerprint, "round-d", CancellationToken.None);

        Assert.Equal(new StartKeyClaim(StartKeyOutcome.Claimed, "round-a"), first);
        Assert.Equal(StartKeyOutcome.InProgress, meanwhile.Outcome);
        Assert.Equal(new StartKeyClaim(StartKeyOutcome.Claimed, "round-c"), later);
        Assert.Equal(StartKeyOutcome.InProgress, afterThat.Outcome);
    }

    [Fact]
    public async Task StartRound_RetryWhileTheFirstIsBeingHandled_409WithRetryAfter()
    {
        SchedulingSucceeds();
        var body = RoundRequests.Soia().ToJsonString();
        var key = NewKey();
        await services.Get<StartKeyStore>().ClaimAsync(key, StartKeyStore.Fingerprint(body), RoundIds.New(), CancellationToken.None);

        var answer = await StartAsync(body, key);

        Assert.Equal(409, answer.Status);
        Assert.Equal("2", answer.Headers.RetryAfter.ToString());
        Assert.Empty(scheduled);
    }

    [Fact]
    public async Task Claim_RoundStoredButNotMarkedStarted_InProgressThenTakenOverOnceThenAlreadyStarted()
    {
        var clock = new FixedTime(DateTimeOffset.UtcNow);
        var keys = new StartKeyStore(services.Get<WorkflowStorage>(), services.Get<RoundStore>(), clock);
        var (round, _) = await StoredRounds.OpenAsync(services);
        var key = NewKey();
        var fingerprint = StartKeyStore.Fingerprint("{}");

        var first = await keys.ClaimAsync(key, fingerprint, round.Id, CancellationToken.None);
        var meanwhile = await keys.ClaimAsync(key, fingerprint, "round-b", CancellationToken.None);
        clock.Now += StartKeyStore.AbandonedAfter + TimeSpan.FromSeconds(1);
        var later = await keys.ClaimAsync(key, fingerprint, "round-c", CancellationToken.None);
        var alongside = await keys.ClaimAsync(key, fingerprint, "round-d", CancellationToken.None);
        await keys.MarkStartedAsync(key, round.Id, CancellationToken.None);
        var afterThat = await keys.ClaimAsync(key, fingerprint, "round-e", CancellationToken.None);

        Assert.Equal(new StartKeyClaim(StartKeyOutcome.Claimed, round.Id), first);
        Assert.Equal(new StartKeyClaim(StartKeyOutcome.InProgress, round.Id), meanwhile);
        Assert.Equal(new StartKeyClaim(StartKeyOutcome.StoredNotStarted, round.Id), later);
        Assert.Equal(new StartKeyClaim(StartKeyOutcome.InProgress, round.Id), alongside);
        Assert.Equal(new StartKeyClaim(StartKeyOutcome.AlreadyStarted, round.Id), afterThat);
    }

    /// <summary>As if the key's claim were made over a minute ago.</summary>
    async Task ClaimedLongAgoAsync(string key)
    {
        var table = services.Get<WorkflowStorage>().StartKeys;
        var row = (await table.GetEntityAsync<StartKeyRow>(StartKeyRow.Partition, StartKeyStore.RowKeyFor(key))).Value;
        row.ClaimedAt -= StartKeyStore.AbandonedAfter + TimeSpan.FromSeconds(1);
        await table.UpdateEntityAsync(row, row.ETag);
    }

    void SchedulingSucceeds() =>
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => scheduled.Add(options!.InstanceId!))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);

    async Task<(int Status, string Body, IHeaderDictionary Headers, string? Id)> StartAsync(string body, params string[] keys)
    {
        var request = services.Request("POST", body);
        request.Headers[StartKeyStore.HeaderName] = keys;
        var (status, answer, headers) = await services.ExecuteAsync(await Functions.StartRound(request, client.Object, CancellationToken.None), request);
        return (status, answer, headers, status == 202 ? WorkflowServicesFixture.Json(answer)["id"]!.GetValue<string>() : null);
    }
}
