using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Reliability;

/// <summary>
/// The local host killed with SIGKILL inside an activity, after its work and before it reports back to the round: while
/// requests are sent, and during consolidation. Those windows last milliseconds, so the local host runs with its
/// test-only fault injection (see the local host's FaultInjectionOptions): the activity does its work (e-mails written
/// and recorded, position stored), then pauses, and the test kills the host in that pause, once it sees the work done.
/// That is the worst moment: after a restart the round runs the activity again, and only its idempotency stands between
/// the participants and a second e-mail. The test checks in the new host's log that the activity did run again, so it
/// cannot pass by killing at a harmless moment. The Functions app has no such hook (nothing test-only is in the
/// production host); its crash tests are <see cref="CrashRecoveryTests"/> and the SendGrid kill in
/// <see cref="Email.SendGridEndToEndTests"/>, which both hosts run.
/// </summary>
public sealed class FaultInjectedCrashTests(ITestOutputHelper output)
{
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
        await round.WaitForTheFirstDraftAndOneNoticeAsync();

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
