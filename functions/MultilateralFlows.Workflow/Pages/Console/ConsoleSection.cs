namespace MultilateralFlows.Pages.Console;

/// <summary>The console's menu entries, so that the layout marks the one the page belongs to.</summary>
public enum ConsoleSection
{
    None,
    Rounds,
    StartRound,
}
