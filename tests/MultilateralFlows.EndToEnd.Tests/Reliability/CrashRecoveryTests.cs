using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Reliability;

/// <summary>
/// The host killed with SIGKILL (no shutdown, like a power cut; on the Functions host, the host and its worker) at a
/// moment of a round, then started again with the same task hub and mail folder. Each test then drives the round to its final
/// position and checks that every reply a participant was told was recorded is in it, nobody twice, and that no e-mail
/// went out twice. The moments are ones the test itself creates, one class each so that they run side by side (each
/// waits out a minute of visibility time-out after its restart). A kill while SendGrid holds a request is in
/// <see cref="Email.SendGridEndToEndTests"/>; kills inside an activity's work, in <see cref="FaultInjectedCrashTests"/>.
/// </summary>
public abstract class CrashRecoveryTests(HostKind kind, ITestOutputHelper output) : HostTest(kind)
{
    /// <summary>Hosts of their own, to kill, with short visibility time-outs so that in-flight work comes back soon.</summary>
    protected override bool UsesSharedHost => false;

    protected ITestOutputHelper Output => output;
}

/// <summary>Killed right after the start was answered: the round is stored, its workflow may not have run a step.</summary>
public abstract class KilledRightAfterTheStartTests(HostKind kind, ITestOutputHelper output) : CrashRecoveryTests(kind, output)
{
    [SkippableFact]
    public async Task Round_KilledRightAfterTheStart_ResumesSendsEachRequestOnceAndKeepsEveryReply()
    {
        var host = await StartHostAsync(RoundUnderTest.CrashSettings());
        var round = await RoundUnderTest.StartAsync(host, Storage, Output);
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

    public sealed class OnLocalHost(ITestOutputHelper output) : KilledRightAfterTheStartTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : KilledRightAfterTheStartTests(HostKind.Functions, output);
}

/// <summary>Killed while replies are in flight: some stored and answered, some stored and not answered, some not stored.</summary>
public abstract class KilledWhileRepliesArriveTests(HostKind kind, ITestOutputHelper output) : CrashRecoveryTests(kind, output)
{
    [SkippableFact]
    public async Task Round_KilledWhileRepliesArrive_KeepsEveryRecordedReplyAndTheRetriedOnes()
    {
        var host = await StartHostAsync(RoundUnderTest.CrashSettings());
        var round = await RoundUnderTest.StartAsync(host, Storage, Output);
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

    public sealed class OnLocalHost(ITestOutputHelper output) : KilledWhileRepliesArriveTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : KilledWhileRepliesArriveTests(HostKind.Functions, output);
}

/// <summary>Killed after the last reply was recorded and before the draft: the round has yet to close collection, send receipts and assemble.</summary>
public abstract class KilledBeforeTheDraftTests(HostKind kind, ITestOutputHelper output) : CrashRecoveryTests(kind, output)
{
    [SkippableFact]
    public async Task Round_KilledBetweenTheLastReplyAndThePosition_AssemblesTheDraftWithEveryReplyAndNotifiesTheCoordinatorOnce()
    {
        var host = await StartHostAsync(RoundUnderTest.CrashSettings());
        var round = await RoundUnderTest.StartAsync(host, Storage, Output);
        using var watcher = round.Watcher;
        await round.WaitForRequestsAsync();
        foreach (var participant in RoundUnderTest.Areas)
        {
            await round.ReplyAsync(participant, "before the crash");
        }

        // The last reply is recorded and its event raised; the round has yet to close collection, send the receipts and
        // assemble the draft. Killed now, it does all of that after the restart, once.
        round.Mark("killing the host");
        host.Kill();
        await host.StartProcessAsync();
        round.Mark("host started again");

        await round.WaitForTheFirstDraftAndOneNoticeAsync();
        await round.ApproveAndCheckFinalAsync();
        await round.AssertNoEmailTwiceAndEveryReceiptAsync();
    }

    public sealed class OnLocalHost(ITestOutputHelper output) : KilledBeforeTheDraftTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : KilledBeforeTheDraftTests(HostKind.Functions, output);
}
