using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// The figures of one run: a named number each (written as one flat JSON object with the core count and the date),
/// and the table printed at the end (and pasted into the README).
/// </summary>
public sealed class Report
{
    readonly List<KeyValuePair<string, double>> numbers = [];
    readonly List<TableRow> rows = [];

    public sealed record TableRow(string Figure, string Measured, string Floor, string Ratio, string Goal, string Verdict);

    public void Add(string name, double value)
    {
        numbers.RemoveAll(n => n.Key == name);
        numbers.Add(KeyValuePair.Create(name, Math.Round(value, 3)));
    }

    public double Get(string name) => numbers.FirstOrDefault(n => n.Key == name) is { Key: not null } found ? found.Value : double.NaN;

    public void Row(string figure, string measured, string floor = "", string ratio = "", string goal = "", bool? met = null) =>
        rows.Add(new TableRow(figure, measured, floor, ratio, goal, met switch { true => "met", false => "**missed**", null => "" }));

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| figure | MultilateralFlows | engine / storage floor | ratio | goal | |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(
                CultureInfo.InvariantCulture, $"| {row.Figure} | {row.Measured} | {row.Floor} | {row.Ratio} | {row.Goal} | {row.Verdict} |");
        }

        return text.ToString();
    }

    public void WriteJson(string path, IReadOnlyDictionary<string, JsonNode?> header)
    {
        var json = new JsonObject();
        foreach (var (key, value) in header)
        {
            json[key] = value;
        }

        foreach (var (key, value) in numbers)
        {
            json[key] = double.IsFinite(value) ? JsonValue.Create(value) : null;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static string Ms(double value) => double.IsFinite(value) ? $"{value.ToString("N0", CultureInfo.InvariantCulture)} ms" : "n/a";

    public static string Num(double value, string format = "N1") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    public static string X(double ratio) => double.IsFinite(ratio) ? $"{ratio.ToString("N2", CultureInfo.InvariantCulture)}x" : "n/a";
}
