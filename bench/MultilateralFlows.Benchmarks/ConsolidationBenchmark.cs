using System.Diagnostics;
using System.Text;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Figure 6: assembling a position in process (no storage) from many contributions with long remarks, and rendering
/// it as Markdown, HTML and JSON, as the AssemblePosition activity does before it uploads the three blobs.
/// </summary>
public static class ConsolidationBenchmark
{
    /// <param name="TotalCpuMs">
    /// Processor time of the whole process over the same span (the phase runs alone): less sensitive than wall time to what
    /// else the machine runs.
    /// </param>
    /// <param name="Checksum">SHA-256 over the three documents: the same data must render the same after a change to the renderer.</param>
    public sealed record Result(
        int Participants,
        int Items,
        int RemarkChars,
        double AssembleMs,
        double MarkdownMs,
        double HtmlMs,
        double JsonMs,
        double TotalMs,
        double TotalCpuMs,
        long OutputChars,
        string Checksum);

    public static async Task<Result> RunAsync(int participants, int items, int remarkChars, int repetitions)
    {
        var (round, respondents, contributions, names) = Build(participants, items, remarkChars);

        // One small pass first so the JIT has compiled everything the timed passes use.
        var (small, smallRespondents, smallContributions, smallNames) = Build(3, 2, 100);
        await MeasureAsync(small, smallRespondents, smallContributions, smallNames);

        var samples = new List<(double Assemble, double Markdown, double Html, double Json, double Total, double Cpu, long Chars)>();
        for (var i = 0; i < repetitions; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            samples.Add(await MeasureAsync(round, respondents, contributions, names));
        }

        return new Result(
            participants, items, remarkChars,
            Stats.Median(samples.Select(s => s.Assemble).ToList()),
            Stats.Median(samples.Select(s => s.Markdown).ToList()),
            Stats.Median(samples.Select(s => s.Html).ToList()),
            Stats.Median(samples.Select(s => s.Json).ToList()),
            Stats.Median(samples.Select(s => s.Total).ToList()),
            Stats.Median(samples.Select(s => s.Cpu).ToList()),
            samples[0].Chars,
            await ChecksumAsync(round, respondents, contributions, names));
    }

    static async Task<string> ChecksumAsync(
        RoundDefinition round,
        IReadOnlyList<Respondent> respondents,
        IReadOnlyList<Contribution> contributions,
        IReadOnlyDictionary<string, string> names)
    {
        var position = PositionAssembler.Assemble(round, respondents, contributions, names, 1, PositionStatus.Draft, round.CreatedAt);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var format in Enum.GetValues<PositionFormat>())
        {
            sha.AppendData(Encoding.UTF8.GetBytes(await PositionRenderer.RenderAsync(position, format)));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    static async Task<(double Assemble, double Markdown, double Html, double Json, double Total, double Cpu, long Chars)> MeasureAsync(
        RoundDefinition round,
        IReadOnlyList<Respondent> respondents,
        IReadOnlyList<Contribution> contributions,
        IReadOnlyDictionary<string, string> names)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        var step = Stopwatch.StartNew();
        var position = PositionAssembler.Assemble(round, respondents, contributions, names, 1, PositionStatus.Draft, DateTimeOffset.UtcNow);
        var assemble = step.Elapsed.TotalMilliseconds;

        step.Restart();
        var markdown = await PositionRenderer.RenderAsync(position, PositionFormat.Markdown);
        var markdownMs = step.Elapsed.TotalMilliseconds;

        step.Restart();
        var html = await PositionRenderer.RenderAsync(position, PositionFormat.Html);
        var htmlMs = step.Elapsed.TotalMilliseconds;

        step.Restart();
        var json = await PositionRenderer.RenderAsync(position, PositionFormat.Json);
        var jsonMs = step.Elapsed.TotalMilliseconds;
        var totalMs = total.Elapsed.TotalMilliseconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        return (assemble, markdownMs, htmlMs, jsonMs, totalMs, cpuMs, (long)markdown.Length + html.Length + json.Length);
    }

    static (RoundDefinition, IReadOnlyList<Respondent>, IReadOnlyList<Contribution>, IReadOnlyDictionary<string, string>) Build(
        int participants, int items, int remarkChars)
    {
        var random = new Random(20_26);
        var codes = Enumerable.Range(1, participants).Select(BenchDirectory.Code).ToList();
        var agenda = Enumerable.Range(1, items)
            .Select(i => new AgendaItem($"{i}", $"Agenda item {i}: draft decision on programme line {i}", RemarkText(random, 600)))
            .ToList();
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var round = new RoundDefinition(
            "bench-consolidation", Procedure.SOIA, "UNESCO Executive Board: benchmark position", "UNESCO", MeetingKind.BoardMeeting,
            agenda, codes, [], now.AddDays(7), false, "coordinator@bench.example", now);
        var stances = Enum.GetValues<Stance>();
        var contributions = codes
            .Select(code => new Contribution(
                code,
                1,
                now,
                agenda.Select(item => new ItemReply(item.Id, stances[random.Next(stances.Length)], RemarkText(random, remarkChars))).ToList()))
            .ToList();
        var names = codes.ToDictionary(code => code, code => $"Policy area {code}", StringComparer.Ordinal);
        return (round, codes.Select(code => new Respondent(code, null)).ToList(), contributions, names);
    }

    static readonly string[] Words =
    [
        "Vlaanderen", "steunt", "het", "ontwerpbesluit", "maar", "vraagt", "een", "verduidelijking", "over", "de", "begroting",
        "la", "Communauté", "française", "souhaite", "préciser", "l'impact", "budgétaire", "régions", "élève", "coördinatie",
        "R&D", "<i>", "\"priority\"", "5%", "|", "*", "#", "_", "[1]", "(UNESCO)", "ILO/WHO", "financing", "will", "be", "needed",
    ];

    /// <summary>Prose of the given length with what real remarks hold: accents, quotes, markup-like and table characters, line breaks.</summary>
    static string RemarkText(Random random, int length)
    {
        var text = new StringBuilder(length + 32);
        var sinceBreak = 0;
        while (text.Length < length)
        {
            var word = Words[random.Next(Words.Length)];
            text.Append(word);
            sinceBreak += word.Length + 1;
            if (sinceBreak > 120)
            {
                text.Append(".\n");
                sinceBreak = 0;
            }
            else
            {
                text.Append(' ');
            }
        }

        return text.ToString(0, length);
    }
}
