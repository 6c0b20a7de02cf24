using System.Text.RegularExpressions;

namespace MultilateralFlows.Rounds;

/// <summary>Round ids: lowercase letters, digits and dashes. Anything else in a route is refused before storage sees it.</summary>
public static partial class RoundIds
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,79}$")]
    private static partial Regex Pattern();

    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);
}
