namespace MultilateralFlows.Benchmarks;

/// <summary>How much of each figure a run measures: the full run, or <c>--quick</c> (under four minutes).</summary>
public sealed record BenchPlan(
    string Mode,
    int LatencyWarmUps,
    int LatencyRounds,
    int ThroughputRounds,
    IReadOnlyList<int> ScaleSizes,
    int ScaleRepetitions,
    IReadOnlyList<int> ReplyClients,
    TimeSpan ReplyWarmUp,
    TimeSpan ReplyDuration,
    int ConsolidationParticipants,
    int ConsolidationRepetitions,
    IReadOnlySet<string> Figures,
    string OutputPath)
{
    public const int RoundParticipants = 12;

    public static readonly IReadOnlyList<string> AllFigures = ["latency", "throughput", "reply", "scale", "consolidation"];

    public static BenchPlan Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var output = args.FirstOrDefault(a => a.StartsWith("--out=", StringComparison.Ordinal))?["--out=".Length..];
        var unknown = only?.Except(AllFigures).ToList();
        if (unknown is { Count: > 0 })
        {
            throw new ArgumentException($"Unknown figure(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AllFigures)}.");
        }

        var figures = (only ?? AllFigures).ToHashSet(StringComparer.Ordinal);
        return quick
            ? new BenchPlan("quick", 1, 10, 20, [12, 100, 1000], 1, [16, 64], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 1000, 3, figures, output ?? DefaultOutput)
            : new BenchPlan("full", 2, 15, 50, [12, 100, 1000], 3, [16, 64], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), 1000, 7, figures, output ?? DefaultOutput);
    }

    static string DefaultOutput => Path.Combine(Testing.RepositoryPaths.Root, "bench", "results", "latest.json");

    public bool Runs(string figure) => Figures.Contains(figure);
}
