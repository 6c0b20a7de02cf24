using DurableTask.Core.History;
using MultilateralFlows.Testing;
using Newtonsoft.Json.Linq;

namespace MultilateralFlows.Tests.Rounds.Replay;

/// <summary>
/// A round's engine history as recorded from a real host while the round waited in one phase (<c>Histories/</c>,
/// written by the end-to-end project's <c>RoundHistoryRecorder</c>): the events as DurableTask.AzureStorage returns them.
/// </summary>
public sealed record RecordedHistory(string Name, string InstanceId, IReadOnlyList<HistoryEvent> Events)
{
    static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tests", "MultilateralFlows.Tests", "Rounds", "Replay", "Histories");

    public static IEnumerable<string> Names =>
        Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static RecordedHistory Load(string name)
    {
        var fixture = JObject.Parse(File.ReadAllText(Path.Combine(Folder, $"{name}.json")));
        var events = fixture["events"]!.Cast<JObject>().Select(ToEvent).ToList();
        return new RecordedHistory(name, fixture["instanceId"]!.Value<string>()!, events);
    }

    /// <summary>The JSON carries no type names; the event type says which of DurableTask.Core's event classes it is.</summary>
    static HistoryEvent ToEvent(JObject json)
    {
        var eventType = (EventType)json["EventType"]!.Value<int>();
        var type = typeof(HistoryEvent).Assembly.GetType($"{typeof(HistoryEvent).Namespace}.{eventType}Event", throwOnError: true)!;
        return (HistoryEvent)json.ToObject(type)!;
    }
}
