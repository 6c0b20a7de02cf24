using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// How much of each figure a run measures (the full run, or <c>--quick</c>: under six minutes with both hosts), which
/// figures (<c>--only=</c>) and on which hosts (<c>--hosts=local,functions</c>; both by default).
/// </summary>
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
    IReadOnlyList<HostKind> Hosts,
    string OutputPath)
{
    public const int RoundParticipants = 12;

    public static readonly IReadOnlyList<string> AllFigures = ["latency", "throughput", "reply", "scale", "consolidation"];

    /// <summary>The hosts by the names <c>--hosts=</c> takes, in the order their figures are measured and printed.</summary>
    public static readonly IReadOnlyList<(string Name, HostKind Kind)> AllHosts = [("local", HostKind.Local), ("functions", HostKind.Functions)];

    public static BenchPlan Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hostNames = args.FirstOrDefault(a => a.StartsWith("--hosts=", StringComparison.Ordinal))?["--hosts=".Length..]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var output = args.FirstOrDefault(a => a.StartsWith("--out=", StringComparison.Ordinal))?["--out=".Length..];
        var unknown = only?.Except(AllFigures).ToList();
        if (unknown is { Count: > 0 })
        {
            throw new ArgumentException($"Unknown figure(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", AllFigures)}.");
        }

        var unknownHosts = hostNames?.Except(AllHosts.Select(h => h.Name)).ToList();
        if (unknownHosts is { Count: > 0 } || hostNames is { Length: 0 })
        {
            throw new ArgumentException(
                $"Unknown host(s) '{string.Join(", ", unknownHosts ?? [])}'; choose from {string.Join(", ", AllHosts.Select(h => h.Name))}.");
        }

        var figures = (only ?? AllFigures).ToHashSet(StringComparer.Ordinal);
        // Always local first: the figures print in that order whatever order they were asked in.
        var hosts = AllHosts.Where(h => hostNames is null || hostNames.Contains(h.Name)).Select(h => h.Kind).ToList();
        return quick
            ? new BenchPlan(
                "quick", 1, 10, 20, [12, 100, 1000], 1, [16, 64], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 1000, 3,
                figures, hosts, output ?? DefaultOutput)
            : new BenchPlan(
                "full", 2, 15, 50, [12, 100, 1000], 3, [16, 64], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), 1000, 7,
                figures, hosts, output ?? DefaultOutput);
    }

    static string DefaultOutput => Path.Combine(Testing.RepositoryPaths.Root, "bench", "results", "latest.json");

    public bool Runs(string figure) => Figures.Contains(figure);

    public bool Runs(HostKind host) => Hosts.Contains(host);

    /// <summary>The plan without a host that cannot run here (the Functions host without a runner).</summary>
    public BenchPlan Without(HostKind host) => this with { Hosts = [.. Hosts.Where(h => h != host)] };

    public static string NameOf(HostKind host) => AllHosts.Single(h => h.Kind == host).Name;
}
