using System.Text.RegularExpressions;

namespace MultilateralFlows.Infra.Tests;

/// <summary>One row of the README's Settings table: the setting names in its first cell, and what it says of them.</summary>
public sealed record ReadmeSettingRow(IReadOnlyList<string> Names, string Meaning)
{
    /// <summary>The row says in so many words that the setting may be left out.</summary>
    public bool SaysOptional => Regex.IsMatch(Meaning, @"\boptional\b", RegexOptions.IgnoreCase);
}

/// <summary>The table under <c>## Settings</c> in README.md.</summary>
public static partial class ReadmeSettings
{
    public static IReadOnlyList<ReadmeSettingRow> Rows()
    {
        var lines = File.ReadAllLines(Path.Combine(Testing.RepositoryPaths.Root, "README.md"));
        var start = Array.FindIndex(lines, l => l.Trim().Equals("## Settings", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException("README.md has no '## Settings' section.");
        }

        return lines
            .Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.TrimStart().StartsWith('|') && !Regex.IsMatch(l, @"^\s*\|[\s|:-]+\|\s*$"))
            .Select(l => l.Trim().Trim('|').Split('|', 2))
            .Where(cells => cells.Length == 2)
            .Select(cells => new ReadmeSettingRow(
                BacktickedName().Matches(cells[0]).Select(m => m.Groups[1].Value).ToList(),
                cells[1]))
            .Where(row => row.Names.Count > 0)
            .ToList();
    }

    public static ReadmeSettingRow? RowFor(this IReadOnlyList<ReadmeSettingRow> rows, string setting) =>
        rows.FirstOrDefault(r => r.Names.Contains(setting, StringComparer.OrdinalIgnoreCase));

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex BacktickedName();
}
