using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Reliability;

/// <summary>
/// Azurite itself restarted mid-round, twice, with its data on disk, while the host keeps running: once while
/// replies arrive, once during consolidation. Azurite is stopped with SIGTERM (it saves what it acknowledged; see
/// <see cref="AzuriteServer.StopAsync"/>), kept down for a few seconds, and started again on the same ports and folder.
/// The round must complete with every reply a participant was told was recorded, and no e-mail twice.
/// </summary>
public abstract class StorageRestartTests(HostKind kind, ITestOutputHelper output) : HostTest(kind)
{
    readonly string folder = RepositoryPaths.NewTempFolder("azurite");

    /// <summary>A host of its own, on an Azurite of its own that keeps its data in a folder.</summary>
    protected override bool UsesSharedHost => false;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [SkippableFact]
    public async Task Round_StorageRestartedWhileRepliesArriveAndDuringConsolidation_CompletesWithEveryRecordedReply()
    {
        var storage = await StartOwnStorageAsync(folder);

        // The local host pauses after storing the draft, before reporting back, so the second outage hits that moment;
        // the Functions app has no such hook and meets the outage wherever the round is once the draft is stored.
        var host = await StartHostAsync(RoundUnderTest.CrashSettings(("LocalHost__FaultInjection__DelayAfter__AssemblePosition", "00:00:05")), storage);
        var round = await RoundUnderTest.StartAsync(host, storage, output);
        using var watcher = round.Watcher;
        // The Functions host may shut itself down during an outage, on purpose (see RestartWhenItStops); the local host must not.
        await using var platform = Kind == HostKind.Functions ? host.RestartWhenItStops(round.Mark) : null;
        await round.WaitForRequestsAsync();

        var early = RoundUnderTest.Areas.Take(5).ToList();
        foreach (var participant in early)
        {
            await round.ReplyAsync(participant, "before the outage");
        }

        // The other six reply at once; storage goes away under them.
        round.StorageMayBeDown = true;
        var burst = RoundUnderTest.Areas.Skip(5).ToDictionary(p => p, p => round.TryReplyAsync(p, "during the outage"));
        await Task.WhenAny(burst.Values);
        round.Mark("stopping Azurite");
        await storage.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await storage.StartAgainAsync();
        round.Mark("Azurite started again");
        await Task.WhenAll(burst.Values);
        var unanswered = burst.Where(b => !b.Value.Result).Select(b => b.Key).ToList();
        round.Mark($"{burst.Count - unanswered.Count} of {burst.Count} replies answered during the outage; to send again: {string.Join(", ", unanswered)}");

        // Whoever was not told the reply is recorded tries again until it is (the host may need a moment).
        foreach (var participant in unanswered)
        {
            await ReplyUntilRecordedAsync(round, participant);
        }

        round.StorageMayBeDown = false;

        // The draft is stored; storage goes away while the activity is about to report back.
        await host.WaitForPhaseAsync(round.Id, "Reviewing", RoundUnderTest.PhaseTimeout);
        round.Mark("stopping Azurite");
        await storage.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await storage.StartAgainAsync();
        round.Mark("Azurite started again");

        await round.WaitForDraftWithEveryReplyAsync();
        try
        {
            await host.MailFolder.WaitForAsync(round.Id, 1, "CoordinatorNotice", RoundUnderTest.PhaseTimeout);
        }
        catch (TimeoutException e)
        {
            // Seen once in CI on the local host: the draft stored, its notice never sent. What the host said is the lead.
            throw new TimeoutException($"{e.Message}\n--- host output ---\n{host.AllOutput}", e);
        }
        await round.ApproveAndCheckFinalAsync();
        await round.AssertNoEmailTwiceAndEveryReceiptAsync();
    }

    static async Task ReplyUntilRecordedAsync(RoundUnderTest round, string participant)
    {
        var until = DateTime.UtcNow + RoundUnderTest.PhaseTimeout;
        while (!await round.TryReplyAsync(participant, "after the outage"))
        {
            Assert.True(DateTime.UtcNow < until, $"The reply of {participant} was still not recorded after the outage.\n{round.Host.AllOutput}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public sealed class OnLocalHost(ITestOutputHelper output) : StorageRestartTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : StorageRestartTests(HostKind.Functions, output);
}
