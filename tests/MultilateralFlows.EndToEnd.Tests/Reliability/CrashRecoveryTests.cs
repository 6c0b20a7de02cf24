using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Reliability;

/// <summary>
/// The local host killed with SIGKILL (no shutdown, like a power cut) at four moments of a round, then started again
/// with the same task hub, worker id and outbox. Each test then drives the round to its final position and checks that
/// every reply a participant was told was recorded is in it, nobody twice, and that no e-mail went out twice.
/// <para>
/// How the moments are hit: "after the start" and "while replies arrive" are moments the test itself creates (it kills
/// right after the 202, or while its own replies are in flight). "While requests are sent" and "during consolidation"
/// last milliseconds, so the host runs with the test-only fault injection (see the local host's FaultInjectionOptions):
/// the activity does its work (e-mails written and recorded, position stored), then pauses before reporting back, and
/// the test kills it in that pause, once it sees the work done. That is the worst moment: after a restart the round
/// runs the activity again, and only its idempotency stands between the participants and a second e-mail. The test
/// checks in the new host's log that the activity did run again, so it cannot pass by killing at a harmless moment.
/// </para>
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Round_KilledRightAfterTheStart_ResumesSendsEachRequestOnceAndKeepsEveryReply()
    {
        var storage = await SharedAzurite.GetAsync();
        await using var host = await LocalHostProcess.StartAsync(storage, RoundUnderTest.CrashSettings());
        var round = await RoundUnderTest.StartAsync(host, storage, output);
        using var watcher = round.Watcher;

        round.Mark("killing the host");
        host.Kill();
        await host.StartProcessAsync();
        round.Mark("host started again");

        await round.WaitForRequestsAsync();
        foreach (var participant in RoundUnderTest.Areas)
        {
            await round.ReplyAsync(participant, "after the restart");
        }

        await round.WaitForDraftWithEveryReplyAsync();
        await round.ApproveAndCheckFinalAsync();
        await round.AssertNoEmailTwiceAndEveryReceiptAsync();
    }

    [Fact]
    public async Task Round_KilledWhileRequestsAreSent_RunsTheSendAgainWithoutSendingAnyRequestTwice()
    {
        var storage = await SharedAzurite.GetAsync();
        await using var host = await LocalHostProcess.StartAsync(storage, RoundUnderTest.CrashSettings(
            ("LocalHost__FaultInjection__DelayAfter__SendEmails", "00:00:05")));
        var round = await RoundUnderTest.StartAsync(host, storage, output);
        using var watcher = round.Watcher;

        // Every request is written (and recorded); the activity is pausing before it reports back. After the restart it
        // pauses no more (each receipt is sent by the same activity), but still logs that it runs.
        await round.WaitForRequestsAsync();
        round.Mark("killing the host");
        host.Kill();
        host.SetForNextStart("LocalHost__FaultInjection__DelayAfter__SendEmails", "00:00:00");
        await host.StartProcessAsync();
        round.Mark("host started again");

        await WaitForLogAsync(host, $"Fault injection: SendEmails of {round.Id} starts", round);
        foreach (var participant in RoundUnderTest.Areas)
        {
            await round.ReplyAsync(participant, "after the restart");
        }

        await round.WaitForDraftWithEveryReplyAsync();
        await round.ApproveAndCheckFinalAsync();
        await round.AssertNoEmailTwiceAndEveryReceiptAsync();
    }

    [Fact]
    public async Task Round_KilledWhileRepliesArrive_KeepsEveryRecordedReplyAndTheRetriedOnes()
    {
        var storage = await SharedAzurite.GetAsync();
        await using var host = await LocalHostProcess.StartAsync(storage, RoundUnderTest.CrashSettings());
        var round = await RoundUnderTest.StartAsync(host, storage, output);
        using var watcher = round.Watcher;
        await round.WaitForRequestsAsync();

        // Three replies are in before the burst. Then the other eight participants send their reply four times at once
        // (a double click, a retrying client): 32 requests contending for eight request rows keep the host busy long
        // enough that it dies with requests in flight, some stored and answered, some stored and not, some not stored.
        var early = RoundUnderTest.Areas.Take(3).ToList();
        foreach (var participant in early)
        {
            await round.ReplyAsync(participant, "before the crash");
        }

        var burst = RoundUnderTest.Areas.Skip(3)
            .SelectMany(p => Enumerable.Range(0, 4).Select(_ => (Participant: p, Answered: round.TryReplyAsync(p, "during the crash"))))
            .ToList();
        await Task.WhenAny(burst.Select(b => b.Answered));
        round.Mark("killing the host");
        host.Kill();
        await Task.WhenAll(burst.Select(b => b.Answered));
        var cutOff = burst.Where(b => !b.Answered.Result).Select(b => b.Participant).ToList();
        var unanswered = cutOff.Distinct().ToList();
        round.Mark($"killed during the burst: {burst.Count - cutOff.Count} of {burst.Count} replies answered; no answer for {string.Join(", ", unanswered)}");

        await host.StartProcessAsync();
        round.Mark("host started again");

        // Whoever got no answer sends again; the first participant amends its reply as well.
        foreach (var participant in unanswered.Append(early[0]))
        {
            await round.ReplyAsync(participant, "after the restart");
        }

        await round.WaitForDraftWithEveryReplyAsync();
        await round.ApproveAndCheckFinalAsync();
        await round.AssertNoEmailTwiceAndEveryReceiptAsync();
    }

    [Fact]
    public async Task Round_KilledDuringConsolidation_AssemblesTheSameDraftAgainAndNotifiesTheCoordinatorOnce()
    {
        var storage = await SharedAzurite.GetAsync();
        await using var host = await LocalHostProcess.StartAsync(storage, RoundUnderTest.CrashSettings(
            ("LocalHost__FaultInjection__DelayAfter__AssemblePosition", "00:00:05")));
        var round = await RoundUnderTest.StartAsync(host, storage, output);
        using var watcher = round.Watcher;
        await round.WaitForRequestsAsync();
        foreach (var participant in RoundUnderTest.Areas)
        {
            await round.ReplyAsync(participant, "before the crash");
        }

        // The draft is stored and the round shows Reviewing; the activity is pausing before it reports back.
        await host.WaitForPhaseAsync(round.Id, "Reviewing", RoundUnderTest.PhaseTimeout);
        round.Mark("killing the host");
        host.Kill();
        host.SetForNextStart("LocalHost__FaultInjection__DelayAfter__AssemblePosition", "00:00:00");
        await host.StartProcessAsync();
        round.Mark("host started again");

        await WaitForLogAsync(host, $"Fault injection: AssemblePosition of {round.Id} starts", round);
        var draft = await round.WaitForDraftWithEveryReplyAsync();
        Assert.Equal(1, draft["version"]!.GetValue<int>());
        var notice = (await host.Outbox.WaitForAsync(round.Id, 1, "CoordinatorNotice", RoundUnderTest.PhaseTimeout)).Single();
        Assert.Contains($"/api/rounds/{round.Id}/position", notice.PlainText, StringComparison.Ordinal);

        await round.ApproveAndCheckFinalAsync();
        await round.AssertNoEmailTwiceAndEveryReceiptAsync();
    }

    /// <summary>Waits until the running host (not an earlier, killed one) has logged a line.</summary>
    static async Task WaitForLogAsync(LocalHostProcess host, string line, RoundUnderTest round)
    {
        var until = DateTime.UtcNow + RoundUnderTest.PhaseTimeout;
        while (!host.Output.Contains(line, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The restarted host never logged '{line}':\n{host.AllOutput}");
            }

            await Task.Delay(250);
        }

        round.Mark($"the restarted host logged '{line}'");
    }
}
