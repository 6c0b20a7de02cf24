using Azure.Data.Tables;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Reliability;

/// <summary>
/// Two instances of the app on one storage account and task hub, as Azure runs it when it scales out: each instance takes
/// a share of the task hub's partitions, and a round's orchestration runs wherever its partition is. A round is started
/// on each; replies arrive at either; then one instance is killed (SIGKILL) with its partitions and in-flight work. The
/// other must take its partitions over and bring both rounds to a final position with every recorded reply in it, each
/// e-mail sent once and each reply's receipt sent.
/// </summary>
public abstract class TwoInstancesTests(HostKind kind, ITestOutputHelper output) : CrashRecoveryTests(kind, output)
{
    [SkippableFact]
    public async Task Rounds_OnTwoInstancesOneKilledMidRound_TheOtherTakesOverAndLosesNothing()
    {
        var first = await StartHostAsync(RoundUnderTest.CrashSettings());
        var second = await HostProcess.StartInstanceAsync(first, "b", RoundUnderTest.CrashSettings());
        await using var stopSecond = second;
        var started = (await RoundUnderTest.StartAsync(first, Storage, Output), await RoundUnderTest.StartAsync(second, Storage, Output));
        RoundUnderTest[] rounds = [started.Item1, started.Item2];
        using var firstWatcher = rounds[0].Watcher;
        using var secondWatcher = rounds[1].Watcher;

        // Both instances hold partitions before one is killed, or the kill would prove nothing.
        await WaitForOwnersAsync(first.TaskHub, [first.WorkerId, second.WorkerId]);
        foreach (var round in rounds)
        {
            await round.WaitForRequestsAsync();
        }

        var areas = RoundUnderTest.Areas;
        foreach (var round in rounds)
        {
            foreach (var (participant, index) in areas.Take(8).Select((p, i) => (p, i)))
            {
                round.DriveThrough(index % 2 == 0 ? first : second);
                await round.ReplyAsync(participant, "before the kill");
            }
        }

        // The instance killed is the one running the first round's orchestration, so that round must move.
        var owner = await OwnerOfAsync(first.TaskHub, rounds[0].Id);
        var (killed, survivor) = owner == first.WorkerId ? (first, second) : (second, first);
        rounds[0].Mark($"partitions shared by {first.WorkerId} and {second.WorkerId}; killing {owner}, which runs round {rounds[0].Id}");
        killed.Kill();
        foreach (var round in rounds)
        {
            round.DriveThrough(survivor);
            foreach (var participant in areas.Skip(8))
            {
                await round.ReplyAsync(participant, "after the kill");
            }
        }

        foreach (var round in rounds)
        {
            await round.WaitForDraftWithEveryReplyAsync();
            await round.ApproveAndCheckFinalAsync();
        }

        await WaitForOwnersAsync(first.TaskHub, [survivor.WorkerId]);
        foreach (var round in rounds)
        {
            await round.AssertNoEmailTwiceAndEveryReceiptAsync();
        }
    }

    /// <summary>
    /// Who holds the partition an orchestration runs in: the engine puts an instance in the partition of its id's 32-bit
    /// FNV-1a hash (over UTF-8) modulo the partition count, and names the partition after its control queue.
    /// </summary>
    async Task<string> OwnerOfAsync(string taskHub, string instanceId)
    {
        var hash = 2166136261u;
        foreach (var octet in System.Text.Encoding.UTF8.GetBytes(instanceId))
        {
            hash = unchecked((hash ^ octet) * 16777619u);
        }

        var controlQueue = $"{taskHub.ToLowerInvariant()}-control-{hash % PartitionCount:00}";
        var partition = await Storage.Tables.GetTableClient($"{taskHub}Partitions").GetEntityIfExistsAsync<TableEntity>("", controlQueue);
        Assert.True(partition.HasValue, $"No partition {controlQueue} in {taskHub}Partitions.");
        return partition.Value!.GetString("CurrentOwner");
    }

    /// <summary>host.json's partition count, which both hosts take.</summary>
    const int PartitionCount = 4;

    /// <summary>Waits until the task hub's partitions are owned by exactly these workers (table partition management).</summary>
    async Task WaitForOwnersAsync(string taskHub, IReadOnlyList<string> owners)
    {
        var partitions = Storage.Tables.GetTableClient($"{taskHub}Partitions");
        var until = DateTime.UtcNow + RoundUnderTest.PhaseTimeout;
        var seen = new List<string>();
        while (DateTime.UtcNow < until)
        {
            seen.Clear();
            await foreach (var partition in partitions.QueryAsync<TableEntity>())
            {
                seen.Add(partition.GetString("CurrentOwner") ?? "(none)");
            }

            if (seen.Count > 0 && seen.Distinct().Order(StringComparer.Ordinal).SequenceEqual(owners.Order(StringComparer.Ordinal)))
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"Partitions of {taskHub} owned by {string.Join(", ", seen)}; expected {string.Join(", ", owners)}.");
    }

    public sealed class OnLocalHost(ITestOutputHelper output) : TwoInstancesTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : TwoInstancesTests(HostKind.Functions, output);
}
