using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// The orchestration history of one instance as DurableTask.AzureStorage keeps it: the rows of the task hub's History
/// table in the instance's partition (one per history event, plus the sentinel row), and their size counted as the
/// UTF-8 bytes of every string and binary property value (8 bytes for any other value). Property values too large for
/// a row are moved to the hub's large-message blobs; those blobs are counted too. A round that went on in fresh
/// histories (continue-as-new) leaves rows of its earlier executions behind until it is purged; what a step replays is
/// its current execution's rows (<see cref="Result.CurrentRows"/>).
/// </summary>
public static class HistorySize
{
    public sealed record Result(int Rows, long Bytes, int LargeBlobs, int CurrentRows);

    public static async Task<Result> ReadAsync(TableServiceClient tables, BlobServiceClient blobs, string taskHub, string instanceId)
    {
        var history = tables.GetTableClient($"{taskHub}History");
        var largeMessages = blobs.GetBlobContainerClient($"{taskHub.ToLowerInvariant()}-largemessages");
        var rows = 0;
        var bytes = 0L;
        var large = 0;
        var current = 0;
        var instance = await tables.GetTableClient($"{taskHub}Instances").GetEntityAsync<TableEntity>(instanceId, "");
        var currentExecution = instance.Value.GetString("ExecutionId");
        await foreach (var row in history.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
        {
            rows++;
            current += row.GetString("ExecutionId") == currentExecution ? 1 : 0;
            foreach (var (key, value) in row)
            {
                bytes += value switch
                {
                    string text => Encoding.UTF8.GetByteCount(text),
                    byte[] binary => binary.Length,
                    BinaryData binary => binary.ToMemory().Length,
                    null => 0,
                    _ => 8,
                };

                if (key.EndsWith("BlobName", StringComparison.Ordinal) && value is string blobName && blobName.Length > 0)
                {
                    large++;
                    var properties = await largeMessages.GetBlobClient(blobName).GetPropertiesAsync();
                    bytes += properties.Value.ContentLength;
                }
            }
        }

        return new Result(rows, bytes, large, current);
    }

    /// <summary>
    /// The instance's history events in order, with when each was recorded and which execution it belongs to (a round
    /// that went on in fresh histories has several): where a round spends its time.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TimelineAsync(TableServiceClient tables, string taskHub, string instanceId)
    {
        var events = new List<(DateTimeOffset At, string Execution, long Order, string Line)>();
        await foreach (var row in tables.GetTableClient($"{taskHub}History").QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
        {
            if (row.GetString("EventType") is not { } type)
            {
                continue;
            }

            var at = row.GetDateTimeOffset("_Timestamp") ?? row.GetDateTimeOffset("Timestamp") ?? default;
            var order = long.TryParse(row.RowKey.Split('.').Last(), System.Globalization.NumberStyles.HexNumber, null, out var number) ? number : 0;
            events.Add((at, row.GetString("ExecutionId") ?? "", order, $"{type} {row.GetString("Name")}".TrimEnd()));
        }

        // Executions in the order they started, each's events in its own order.
        var executions = events.GroupBy(e => e.Execution).OrderBy(g => g.Min(e => e.At)).ToList();
        var start = events.Count > 0 ? events.Min(e => e.At) : default;
        return executions
            .SelectMany(execution => execution.OrderBy(e => e.Order)
                .Select(e => $"{(e.At - start).TotalMilliseconds,7:N0} ms  {execution.Key[..Math.Min(8, execution.Key.Length)]}  {e.Line}"))
            .ToList();
    }
}
