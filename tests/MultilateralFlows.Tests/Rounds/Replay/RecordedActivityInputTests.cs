using System.Text.Json;
using DurableTask.Core.History;
using Microsoft.DurableTask.Converters;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Rounds.Replay;

/// <summary>
/// An activity scheduled before a deploy runs after it with the input its history holds, so renaming a property of an
/// activity input must not rename it in that JSON. Replaying a history does not catch it (the engine never compares
/// inputs): here every recorded e-mail batch and coordinator notice must read back and write out as it was recorded.
/// </summary>
public sealed class RecordedActivityInputTests
{
    /// <summary>What the Functions worker uses when the app sets no serializer (WorkerOptions' default).</summary>
    static readonly JsonSerializerOptions FunctionsWorkerJson = new() { PropertyNameCaseInsensitive = true };

    public static TheoryData<string> Histories => new(RecordedHistory.Names);

    [Theory]
    [MemberData(nameof(Histories))]
    public void EmailBatch_AsRecorded_ReadsBackAndWritesTheSameJson(string name)
    {
        var batches = ReadsBackAsRecorded<EmailBatch>(name, nameof(SendEmails));

        Assert.NotEmpty(batches);
        Assert.All(batches, b => Assert.True(b.MessageNumber > 0));
    }

    [Fact]
    public void CoordinatorNotice_AsRecorded_ReadsBackAndWritesTheSameJson()
    {
        var notices = RecordedHistory.Names.SelectMany(name => ReadsBackAsRecorded<CoordinatorNotice>(name, nameof(NotifyCoordinator))).ToList();

        Assert.Contains(notices, n => n is { Kind: NoticeKind.PositionReady, MessageNumber: > 0 });
    }

    /// <summary>The inputs of the named activity in a history, after checking both hosts' serializers keep their JSON.</summary>
    static List<T> ReadsBackAsRecorded<T>(string history, string activity)
    {
        var read = new List<T>();
        foreach (var input in RecordedHistory.Load(history).Events.OfType<TaskScheduledEvent>().Where(e => e.Name == activity).Select(e => e.Input!))
        {
            var inputs = JsonDataConverter.Default.Deserialize<T[]>(input)!;
            Assert.Equal(input, JsonDataConverter.Default.Serialize(inputs));
            Assert.Equal(input, JsonSerializer.Serialize(JsonSerializer.Deserialize<T[]>(input, FunctionsWorkerJson), FunctionsWorkerJson));
            read.AddRange(inputs);
        }

        return read;
    }
}
