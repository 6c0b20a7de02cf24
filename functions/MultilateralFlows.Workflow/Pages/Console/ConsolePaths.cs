namespace MultilateralFlows.Pages.Console;

/// <summary>Where the console's pages are, as links in the pages name them (the routes are in <c>Http/ApiRoutes.cs</c>).</summary>
public static class ConsolePaths
{
    public const string Rounds = "/api/console/rounds";
    public const string NewRound = "/api/console/rounds/new";
    public const string Script = "/api/console/console.js";
    public const string SignOut = "/api/console/sign-out";

    /// <summary>The page of one round (its participants, actions and audit).</summary>
    public static string Round(string roundId) => $"/api/console/rounds/{Uri.EscapeDataString(roundId)}";
}
