using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using DurableTask.Core;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Housekeeping;

/// <summary>
/// The stuck-round watchdog on a host whose housekeeping runs every two seconds with a short grace, on an Azurite of its
/// own (so no other test's rounds are there): an operator terminates the orchestration under a collecting round; the
/// coordinator gets one "round stuck" notice, the round list's stuck filter shows the round, its audit has one entry, and the
/// checks that follow notify no one again.
/// </summary>
public abstract class StuckRoundWatchdogTests(HostKind kind) : HostTest(kind)
{
    protected override bool UsesSharedHost => false;

    [SkippableFact]
    public async Task Watchdog_OrchestrationTerminatedUnderACollectingRound_CoordinatorToldOnceRouteListsItAuditHasIt()
    {
        var storage = await StartOwnStorageAsync();
        var host = await StartHostAsync(
            new Dictionary<string, string?>
            {
                ["Housekeeping__Schedule"] = "*/2 * * * * *",
                ["Housekeeping__StuckRoundGrace"] = "00:00:03",
            },
            storage);

        // The round under test, then two newer ones: every check looks at rounds newest first, and checks run one after
        // the other, so a notice for the newest shows that a whole check ran after the notice for the second, which ran
        // after the notice for the round under test: at least one complete check saw that round already recorded.
        var stuck = await host.StartAsync(RoundRequests.Soia("education"));
        var second = await host.StartAsync(RoundRequests.Soia("education"));
        var newest = await host.StartAsync(RoundRequests.Soia("education"));
        foreach (var round in new[] { stuck, second, newest })
        {
            await host.MailFolder.WaitForAsync(round, 1);
        }

        foreach (var round in new[] { stuck, second, newest })
        {
            await TerminateAsync(host, round);
            await StuckNoticesAsync(host, round, expected: 1);
        }

        var notice = Assert.Single(await StuckNoticesAsync(host, stuck, expected: 1));
        Assert.Equal(["coordinator@vlaanderen.example"], notice.To);
        Assert.Contains("was terminated", notice.PlainText, StringComparison.Ordinal);
        Assert.Single(host.MailFolder.For(stuck, "CoordinatorNotice"));

        var listed = (await host.Client.GetFromJsonAsync<JsonObject>("/api/rounds?stuck=true"))!["rounds"]!.AsArray();
        Assert.Equal([newest, second, stuck], listed.Select(r => r!["id"]!.GetValue<string>()));
        var entry = listed.Single(r => r!["id"]!.GetValue<string>() == stuck)!;
        Assert.Equal("Terminated", entry["stuckWorkflow"]!.GetValue<string>());
        Assert.True(entry["stuckSince"] is not null, entry.ToJsonString());
        Assert.Equal("Collecting", entry["phase"]!.GetValue<string>());
        Assert.Equal($"/api/rounds/{stuck}", entry["statusUrl"]!.GetValue<string>());

        var audit = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{stuck}/audit"))!["entries"]!.AsArray();
        var recorded = Assert.Single(audit, a => a!["action"]!.GetValue<string>() == "RoundStuck")!;
        Assert.Equal("watchdog", recorded["actor"]!.GetValue<string>());

        // The round itself still answers; the list without the filter shows the stuck round as stuck, and a running one as it was.
        using var status = await host.Client.GetAsync($"/api/rounds/{stuck}");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var running = await host.StartAsync(RoundRequests.Soia("education"));
        var all = (await host.Client.GetFromJsonAsync<JsonObject>("/api/rounds"))!["rounds"]!.AsArray();
        Assert.Equal("Terminated", all.Single(r => r!["id"]!.GetValue<string>() == stuck)!["stuckWorkflow"]!.GetValue<string>());
        Assert.Null(all.Single(r => r!["id"]!.GetValue<string>() == running)!["stuckWorkflow"]);
    }

    static async Task<IReadOnlyList<MailFolderMessage>> StuckNoticesAsync(HostProcess host, string roundId, int expected)
    {
        var notices = await host.MailFolder.WaitUntilAsync(
            roundId, "CoordinatorNotice", n => n.Count(IsStuckNotice) >= expected, $"{expected} 'round stuck' notice(s)", TimeSpan.FromSeconds(90));
        return notices.Where(IsStuckNotice).ToList();
    }

    static bool IsStuckNotice(MailFolderMessage message) => message.Payload["custom_args"]?["notice"]?.GetValue<string>() == "Stuck";

    /// <summary>
    /// Terminates the round's orchestration as an operator would: on the Functions host through the Durable Functions HTTP
    /// API, on the local host through the engine's own client on the task hub's storage.
    /// </summary>
    static async Task TerminateAsync(HostProcess host, string instanceId)
    {
        if (host.Kind == HostKind.Functions)
        {
            using var request = new HttpRequestMessage(
                HttpMethod.Post, $"/runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(instanceId)}/terminate?reason=watchdog-test");
            // The master key: run.sh makes it the same value as the function key.
            request.Headers.Add("x-functions-key", FunctionsHostProcess.FunctionKey);
            using var response = await host.Client.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Terminate answered {(int)response.StatusCode}: {answer}");
            return;
        }

        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = host.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(host.Storage.ConnectionString),
            // As host.json: the instance's control queue is chosen by its id among this many.
            PartitionCount = 4,
        });
        await new TaskHubClient(service).TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, "watchdog-test");
    }

    public sealed class OnLocalHost() : StuckRoundWatchdogTests(HostKind.Local);

    public sealed class OnFunctionsHost() : StuckRoundWatchdogTests(HostKind.Functions);
}
