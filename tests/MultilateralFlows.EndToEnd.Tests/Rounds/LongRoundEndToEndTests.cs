using MultilateralFlows.EndToEnd.Tests.Reliability;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>
/// A round that takes in more signals than one orchestration history holds (here: amendments, ten areas amending eleven
/// times while the eleventh has not answered) goes on in a fresh history on the real engine, carrying who is still
/// awaited, and ends as any round: every last reply in the position, each with its receipt, no e-mail twice.
/// </summary>
public abstract class LongRoundEndToEndTests(HostKind kind, ITestOutputHelper output) : HostTest(kind)
{
    [SkippableFact]
    public async Task Round_MoreSignalsThanAHistoryHolds_GoesOnInAFreshHistoryAndLosesNothing()
    {
        var round = await RoundUnderTest.StartAsync(Host, Storage, output);
        using var watcher = round.Watcher;
        await round.WaitForRequestsAsync();
        var firstExecution = await ExecutionIdAsync(round.Id);

        var amending = RoundUnderTest.Areas[..^1];
        for (var amendment = 1; amendment <= 11; amendment++)
        {
            foreach (var participant in amending)
            {
                await round.ReplyAsync(participant, $"amendment {amendment}");
            }
        }

        // The round has gone on in a fresh history (a new execution of the same instance), still collecting: the
        // eleventh area is still awaited, so its reply, not the deadline, brings the draft.
        await WaitUntilAsync(async () => await ExecutionIdAsync(round.Id) != firstExecution, "the round went on in a fresh history");
        round.Mark("the round went on in a fresh history");
        Assert.Equal("Collecting", (await Host.StatusAsync(round.Id))["phase"]!.GetValue<string>());
        await round.ReplyAsync(RoundUnderTest.Areas[^1], "at last");

        await round.WaitForDraftWithEveryReplyAsync();
        await round.ApproveAndCheckFinalAsync();
        await round.AssertNoEmailTwiceAndEveryReceiptAsync();
    }

    async Task<string> ExecutionIdAsync(string instanceId) => (await EngineInstanceAsync(instanceId)).GetString("ExecutionId") ?? "";

    static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + RoundUnderTest.PhaseTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Waited in vain for {what}.");
            }

            await Task.Delay(200);
        }
    }

    public sealed class OnLocalHost(ITestOutputHelper output) : LongRoundEndToEndTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : LongRoundEndToEndTests(HostKind.Functions, output);
}
