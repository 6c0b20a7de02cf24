using Azure.Data.Tables;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Synthetic Flemish policy areas (bench-area-0001, ...) in the benchmark's own Azurite: the shipped directory has 11
/// areas, a SOIA round only takes areas, and the Directory table wins over the shipped file. Seeded before the host
/// starts, since the host caches the directory for a minute.
/// </summary>
public static class BenchDirectory
{
    public static string Code(int number) => $"bench-area-{number:D4}";

    public static IReadOnlyList<string> Codes(int count, int first = 1) => Enumerable.Range(first, count).Select(Code).ToList();

    public static async Task SeedAsync(TableServiceClient tables, int count)
    {
        var directory = tables.GetTableClient("Directory");
        await directory.CreateIfNotExistsAsync();
        foreach (var chunk in Enumerable.Range(1, count).Chunk(100))
        {
            await directory.SubmitTransactionAsync(chunk.Select(number => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                new TableEntity("participant", Code(number))
                {
                    ["Name"] = $"Benchmark policy area {number}",
                    ["Level"] = "FlemishPolicyArea",
                    ["Emails"] = $"{Code(number)}@bench.example",
                    ["Language"] = "nl",
                })));
        }
    }
}
