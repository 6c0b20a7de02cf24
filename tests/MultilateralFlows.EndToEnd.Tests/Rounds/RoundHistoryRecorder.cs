using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using DurableTask.Core.History;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>
/// Records the histories that the replay test (<c>MultilateralFlows.Tests</c>, <c>Rounds/Replay</c>) replays against the
/// current orchestrator: rounds driven on a real host to each phase a round waits in, and each one's engine history read
/// from the task hub once it has settled there. Runs only when asked (<c>scripts/record-round-histories.sh</c>), after a
/// deliberate change of the orchestrator's shape under a new version; otherwise it is skipped.
/// </summary>
public abstract class RoundHistoryRecorder(HostKind kind) : HostTest(kind)
{
    public const string Switch = "MULTILATERALFLOWS_RECORD_HISTORIES";

    static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tests", "MultilateralFlows.Tests", "Rounds", "Replay", "Histories");

    [SkippableFact]
    public async Task Record_RoundsWaitingInEachPhase_WritesTheirHistories()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable(Switch) == "1", $"records histories only when {Switch}=1 (scripts/record-round-histories.sh)");
        using var engine = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = Host.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(Storage.ConnectionString),
        });
        var recorder = new Recorder(engine, Kind);

        var collecting = await Host.StartAsync(RoundRequests.Soia("education", "culture-youth-media", "economy-science-innovation"));
        var requests = await Host.MailFolder.WaitForAsync(collecting, 3);
        await recorder.WriteAsync("collecting", collecting, signals: 0);

        var replied = await Host.StartAsync(RoundRequests.Soia("education", "culture-youth-media", "economy-science-innovation"));
        var repliedRequests = await Host.MailFolder.WaitForAsync(replied, 3);
        await RoundApi.ReplyOkAsync(Link(repliedRequests, "education"), ("5.I", "Objection", "Budget cuts."), ("12", "Agree", null));
        await Host.MailFolder.WaitForAsync(replied, 1, "Receipt");
        await recorder.WriteAsync("some-replies", replied, signals: 1);

        var reminded = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        await Host.MailFolder.WaitForAsync(reminded, 2);
        await PostAsync($"/api/rounds/{reminded}/reminders", null);
        await Host.MailFolder.WaitForAsync(reminded, 2, "Reminder");
        await recorder.WriteAsync("reminders-sent", reminded, signals: 1);

        var reviewing = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        var reviewingRequests = await Host.MailFolder.WaitForAsync(reviewing, 2);
        await RoundApi.ReplyOkAsync(Link(reviewingRequests, "education"), ("5.I", "Objection", "Cuts SDG 4."), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(Link(reviewingRequests, "environment"), ("5.I", "Agree", null), ("12", "Agree", null));
        await Host.WaitForPhaseAsync(reviewing, "Reviewing");
        await Host.MailFolder.WaitForAsync(reviewing, 1, "CoordinatorNotice");
        await recorder.WriteAsync("reviewing", reviewing, signals: 2);

        // The same round reopened: the second iteration is a new execution with a history of its own.
        await PostAsync($"/api/rounds/{reviewing}/review", new { decision = "reopen", comments = "Please converge." });
        await Host.WaitForPhaseAsync(reviewing, "Collecting");
        await Host.MailFolder.WaitForAsync(reviewing, 4);
        await recorder.WriteAsync("reopened", reviewing, signals: 0);

        var parent = await Host.StartAsync(RoundRequests.Soia()
            .With("procedure", "COORMULTI")
            .With("participants", new JsonArray("federal", "flanders", "french-community"))
            .With("flemishPolicyAreas", new JsonArray("education", "work-social-economy", "economy-science-innovation")));
        await Host.MailFolder.WaitForAsync(parent, 2);
        var child = (await Host.StatusAsync(parent))["linkedRounds"]!.AsArray().Single()!["id"]!.GetValue<string>();
        await Host.MailFolder.WaitForAsync(child, 3);
        await recorder.WriteAsync("linked-soia-waiting", parent, signals: 0);
        await recorder.WriteAsync("linked-soia-collecting", child, signals: 0);

        var cancelled = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        var cancelledRequests = await Host.MailFolder.WaitForAsync(cancelled, 2);
        await RoundApi.ReplyOkAsync(Link(cancelledRequests, "education"), ("5.I", "Agree", null), ("12", "Agree", null));
        await Host.MailFolder.WaitForAsync(cancelled, 1, "Receipt");
        await PostAsync($"/api/rounds/{cancelled}/cancel", new { comments = "Withdrawn by the organisation." });
        await Host.WaitForPhaseAsync(cancelled, "Cancelled");
        await recorder.WriteAsync("cancelled", cancelled, signals: 2);
    }

    static string Link(IEnumerable<MailFolderMessage> messages, string participant) => messages.Single(m => m.ParticipantId == participant).ReplyLink;

    async Task PostAsync(string path, object? body)
    {
        using var response = await Host.Client.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Reads a round's history once it waits, and writes it as a fixture.</summary>
    sealed class Recorder(AzureStorageOrchestrationService engine, HostKind kind)
    {
        public async Task WriteAsync(string phase, string instanceId, int signals)
        {
            var events = await SettledHistoryAsync(instanceId, signals);
            var fixture = new StringBuilder();
            fixture.Append("{\n");
            fixture.Append($"  \"phase\": {JsonValue.Create(phase).ToJsonString()},\n");
            fixture.Append($"  \"host\": {JsonValue.Create(kind.ToString())!.ToJsonString()},\n");
            fixture.Append($"  \"instanceId\": {JsonValue.Create(instanceId)!.ToJsonString()},\n");
            fixture.Append("  \"events\": [\n    ");
            fixture.AppendJoin(",\n    ", events.Select(e => e!.ToJsonString()));
            fixture.Append("\n  ]\n}\n");
            Directory.CreateDirectory(Folder);
            // Named by the orchestrator version too: a new version's histories join the older ones, which rounds still
            // open on that version keep replaying.
            var version = events.First(e => TypeOf(e!) == EventType.ExecutionStarted)!["Version"]!.GetValue<string>();
            var name = $"{phase}.v{version}.{kind.ToString().ToLowerInvariant()}.json";
            await File.WriteAllTextAsync(Path.Combine(Folder, name), fixture.ToString());
        }

        /// <summary>
        /// The history of the instance's latest execution once it has taken in the given number of signals, has no
        /// activity in flight and has ended its last step: what a round waiting in that phase replays.
        /// </summary>
        async Task<JsonArray> SettledHistoryAsync(string instanceId, int signals)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                var state = (await engine.GetOrchestrationStateAsync(instanceId, allExecutions: false)).Single();
                var history = await engine.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId);
                var events = JsonNode.Parse(history)!.AsArray();
                int Count(EventType eventType) => events.Count(e => TypeOf(e!) == eventType);
                var settled = events.Count > 0
                    && TypeOf(events[^1]!) == EventType.OrchestratorCompleted
                    && Count(EventType.TaskScheduled) == Count(EventType.TaskCompleted) + Count(EventType.TaskFailed)
                    && Count(EventType.EventRaised) >= signals;
                if (settled)
                {
                    return events;
                }

                Assert.True(DateTime.UtcNow < deadline, $"{instanceId} did not settle: {events.Count} events");
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }

    static EventType TypeOf(JsonNode historyEvent) => (EventType)historyEvent["EventType"]!.GetValue<int>();

    public sealed class OnLocalHost() : RoundHistoryRecorder(HostKind.Local);

    public sealed class OnFunctionsHost() : RoundHistoryRecorder(HostKind.Functions);
}
