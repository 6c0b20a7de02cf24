using System.Text.Json;
using DurableTask.Core.History;
using Microsoft.DurableTask.Converters;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Rounds.Replay;

/// <summary>
/// An activity scheduled before a deploy runs after it with the input its history holds, so renaming a property of an
/// activity input must not rename it in that JSON. Replaying a history does not catch it (the engine never compares
/// inputs): here every recorded e-mail batch must read back and write out as it was recorded.
/// </summary>
public sealed class RecordedActivityInputTests
{
    public static TheoryData<string> Histories => new(RecordedHistory.Names);

    [Theory]
    [MemberData(nameof(Histories))]
    public void EmailBatch_AsRecorded_ReadsBackAndWritesTheSameJson(string name)
    {
        var inputs = RecordedHistory.Load(name).Events.OfType<TaskScheduledEvent>()
            .Where(e => e.Name == nameof(SendEmails)).Select(e => e.Input!).ToList();
        Assert.NotEmpty(inputs);

        foreach (var input in inputs)
        {
            var batches = JsonDataConverter.Default.Deserialize<EmailBatch[]>(input)!;
            Assert.All(batches, b => Assert.True(b.Sequence > 0, input));
            Assert.Equal(input, JsonDataConverter.Default.Serialize(batches));
            Assert.Equal(input, JsonSerializer.Serialize(JsonSerializer.Deserialize<EmailBatch[]>(input, FunctionsWorkerJson), FunctionsWorkerJson));
        }
    }

    /// <summary>What the Functions worker uses when the app sets no serializer (WorkerOptions' default).</summary>
    static readonly JsonSerializerOptions FunctionsWorkerJson = new() { PropertyNameCaseInsensitive = true };
}
