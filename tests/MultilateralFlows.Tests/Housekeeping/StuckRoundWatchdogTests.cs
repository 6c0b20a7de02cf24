using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Primitives;
using Moq;
using MultilateralFlows.Email;
using MultilateralFlows.Housekeeping;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Email;

namespace MultilateralFlows.Tests.Housekeeping;

/// <summary>
/// The stuck-round watchdog against a mocked engine (what each round's workflow is) and the real stores: a round open
/// without a running workflow is recorded once, audited once and its coordinator told once, however often and however
/// many checks at once look; a young round is left alone; a round that runs again is no longer listed.
/// </summary>
public sealed class StuckRoundWatchdogTests : IAsyncLifetime
{
    // Past the grace age of every round the tests store (they are created at the real time).
    readonly FixedTime time = new(DateTimeOffset.UtcNow.AddHours(1));
    readonly Mock<DurableTaskClient> client = new("test");

    /// <summary>The workflows of this test's rounds; null: the engine has no instance. Other tests' rounds run.</summary>
    readonly Dictionary<string, OrchestrationRuntimeStatus?> workflows = [];

    EmailWorld world = null!;

    public async Task InitializeAsync()
    {
        world = await EmailWorld.StartAsync(time: time);
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) =>
                (workflows.TryGetValue(id, out var status) ? status : OrchestrationRuntimeStatus.Running) is { } found
                    ? new OrchestrationMetadata(nameof(ConsultationRound), id) { RuntimeStatus = found }
                    : null);
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    StuckRoundWatchdog Watchdog => world.Get<StuckRoundWatchdog>();

    RoundStore Store => world.Get<RoundStore>();

    AuditLog Audit => world.Get<AuditLog>();

    [Fact]
    public async Task CheckAsync_TerminatedWorkflowUnderACollectingRound_RecordedAuditedAndToldOnceOverRepeatedChecks()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");
        workflows[round.Id] = OrchestrationRuntimeStatus.Terminated;

        await Watchdog.CheckAsync(client.Object, CancellationToken.None);
        await Watchdog.CheckAsync(client.Object, CancellationToken.None);

        var notice = Assert.Single(world.SendGrid.Calls, c => c.RoundId == round.Id);
        Assert.Equal(nameof(NoticeKind.Stuck), notice.Notice);
        Assert.Equal([EmailWorld.Coordinator], notice.To);
        Assert.StartsWith("Ronde vastgelopen, actie nodig: UNESCO Executive Board", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("was terminated", notice.PlainText, StringComparison.Ordinal);
        Assert.Contains($"https://flows.example/api/rounds/{round.Id}", notice.PlainText, StringComparison.Ordinal);
        var audit = Assert.Single(await Audit.GetAsync(round.Id, CancellationToken.None), a => a.Action == "RoundStuck");
        Assert.Equal("watchdog", audit.Actor);
        Assert.Contains("collecting", audit.Detail, StringComparison.Ordinal);
        var row = (await Store.GetRowAsync(round.Id, CancellationToken.None))!;
        Assert.Equal(time.Now, row.StuckSince);
        Assert.Equal(nameof(StuckWorkflow.Terminated), row.StuckWorkflow);

        var listed = Assert.Single(await StuckRoundsAsync(), r => r!["id"]!.GetValue<string>() == round.Id)!;
        Assert.Equal("Terminated", listed["stuckWorkflow"]!.GetValue<string>());
        Assert.Equal(time.Now, listed["stuckSince"]!.GetValue<DateTimeOffset>());
        Assert.Equal("Collecting", listed["phase"]!.GetValue<string>());
        Assert.Equal($"/api/rounds/{round.Id}", listed["statusUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task CheckAsync_ChecksRacing_OneAuditEntryAndOneNotice()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");
        workflows[round.Id] = null;

        // As both hosts' timers firing at the same moment: the row's ETag and the e-mail ledger decide.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Watchdog.CheckAsync(client.Object, CancellationToken.None)));

        Assert.Single(world.SendGrid.Calls, c => c.RoundId == round.Id);
        Assert.Single(await Audit.GetAsync(round.Id, CancellationToken.None), a => a.Action == "RoundStuck");
        Assert.Equal(nameof(StuckWorkflow.Missing), (await Store.GetRowAsync(round.Id, CancellationToken.None))!.StuckWorkflow);
    }

    [Fact]
    public async Task CheckAsync_RoundYoungerThanTheGrace_NotStuckUntilItIsOlder()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");
        // Stored, its workflow not scheduled yet: the moment a start or a linked round passes through.
        workflows[round.Id] = null;
        time.Now = round.CreatedAt.AddMinutes(1);

        await Watchdog.CheckAsync(client.Object, CancellationToken.None);

        Assert.DoesNotContain(world.SendGrid.Calls, c => c.RoundId == round.Id);
        Assert.Null((await Store.GetRowAsync(round.Id, CancellationToken.None))!.StuckSince);

        time.Now = round.CreatedAt + new HousekeepingOptions().StuckRoundGrace + TimeSpan.FromSeconds(1);
        await Watchdog.CheckAsync(client.Object, CancellationToken.None);

        Assert.Single(world.SendGrid.Calls, c => c.RoundId == round.Id);
    }

    [Fact]
    public async Task CheckAsync_FailedAfterTheWorkflowSaidItStopped_RecordedButTheCoordinatorIsNotToldTwice()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");
        var stopped = new CoordinatorNotice(round.Id, NoticeKind.Stopped, 1, Detail: "AssemblePosition failed: boom");
        await world.Get<NotifyCoordinator>().RunAsync(stopped);
        workflows[round.Id] = OrchestrationRuntimeStatus.Failed;

        await Watchdog.CheckAsync(client.Object, CancellationToken.None);

        var only = Assert.Single(world.SendGrid.Calls, c => c.RoundId == round.Id);
        Assert.Equal(nameof(NoticeKind.Stopped), only.Notice);
        Assert.Single(await Audit.GetAsync(round.Id, CancellationToken.None), a => a.Action == "RoundStuck");
        Assert.Contains(await StuckRoundsAsync(), r => r!["id"]!.GetValue<string>() == round.Id);
    }

    [Fact]
    public async Task CheckAsync_LinkedSoiaRoundStuck_BothCoordinatorsToldOnceAndTheParentsAuditSaysSo()
    {
        const string soiaCoordinator = "soia@vlaanderen.example";
        var parent = await world.StartRoundAsync(Procedure.COORMULTI, "federal", "flanders");
        var child = parent with
        {
            Id = $"{parent.Id}-soia-1", Procedure = Procedure.SOIA, ParentRoundId = parent.Id, CoordinatorEmail = soiaCoordinator,
        };
        await Store.CreateAsync(child, "test", CancellationToken.None);
        workflows[child.Id] = OrchestrationRuntimeStatus.Failed;

        await Watchdog.CheckAsync(client.Object, CancellationToken.None);
        await Watchdog.CheckAsync(client.Object, CancellationToken.None);

        Assert.Equal(
            [(soiaCoordinator, child.Id), (EmailWorld.Coordinator, parent.Id)],
            world.SendGrid.Calls.Where(c => c.RoundId == child.Id || c.RoundId == parent.Id).Select(c => (c.To.Single(), c.RoundId)));
        Assert.All(world.SendGrid.Calls, c => Assert.Contains("failed", c.PlainText, StringComparison.Ordinal));
        var linked = Assert.Single(await Audit.GetAsync(parent.Id, CancellationToken.None), a => a.Action == "LinkedRoundStuck");
        Assert.Contains(child.Id, linked.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await StuckRoundsAsync(), r => r!["id"]!.GetValue<string>() == parent.Id);
    }

    [Fact]
    public async Task CheckAsync_RunningOrFinishedRounds_AreNotStuck()
    {
        var running = await world.StartRoundAsync(Procedure.SOIA, "education");
        var final = await world.StartRoundAsync(Procedure.SOIA, "education");
        await Store.SetPhaseAsync(final.Id, RoundPhase.Final, positionVersion: 1, CancellationToken.None);
        workflows[final.Id] = OrchestrationRuntimeStatus.Terminated;

        await Watchdog.CheckAsync(client.Object, CancellationToken.None);

        Assert.DoesNotContain(world.SendGrid.Calls, c => c.RoundId == running.Id || c.RoundId == final.Id);
        Assert.DoesNotContain(await StuckRoundsAsync(), r => r!["id"]!.GetValue<string>() is var id && (id == running.Id || id == final.Id));
    }

    [Fact]
    public async Task CheckAsync_WorkflowRunsAgain_NoLongerListedAndAudited()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");
        workflows[round.Id] = null;
        await Watchdog.CheckAsync(client.Object, CancellationToken.None);
        Assert.Contains(await StuckRoundsAsync(), r => r!["id"]!.GetValue<string>() == round.Id);

        // A start sent again with the same Idempotency-Key took the round over and started it.
        workflows[round.Id] = OrchestrationRuntimeStatus.Running;
        await Watchdog.CheckAsync(client.Object, CancellationToken.None);

        Assert.DoesNotContain(await StuckRoundsAsync(), r => r!["id"]!.GetValue<string>() == round.Id);
        Assert.Null((await Store.GetRowAsync(round.Id, CancellationToken.None))!.StuckSince);
        Assert.Single(await Audit.GetAsync(round.Id, CancellationToken.None), a => a.Action == "RoundRunningAgain");
    }

    async Task<JsonArray> StuckRoundsAsync()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues> { ["stuck"] = "true", ["top"] = "500" });
        var answer = await world.Get<RoundsApi>().ListRoundsAsync(query, CancellationToken.None);
        var (status, body) = await world.ExecuteAsync(answer, new DefaultHttpContext());
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonNode.Parse(body)!["rounds"]!.AsArray();
    }
}
