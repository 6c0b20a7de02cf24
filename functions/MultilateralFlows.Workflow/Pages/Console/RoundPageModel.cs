using MultilateralFlows.Consolidation;
using MultilateralFlows.Localization;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Pages.Console;

/// <summary>
/// Everything the round page shows, read before rendering (the components use no services): the round's status and
/// the position its replies make so far, the draft version asked for with the one before it (to show what changed),
/// the latest audit entries, and what the coordinator was just told (<see cref="Done"/>) or refused (<see cref="Problem"/>).
/// </summary>
public sealed record RoundPageModel(
    RoundStatus Status,
    PositionDocument SoFar,
    int Silent,
    PositionDocument? Shown,
    PositionDocument? Previous,
    IReadOnlyList<AuditEntry> Audit,
    ConsoleTexts Texts,
    string? ChosenLanguage,
    string? Done = null,
    string? DoneItem = null,
    RoundPageProblem? Problem = null)
{
    public string Path => RoundPagePaths.Page(Status.Id);

    /// <summary>A path of the console with the language the page was asked in, if it was asked for one.</summary>
    public string Link(string path, string? fragment = null) => RoundPagePaths.WithLanguage(path, ChosenLanguage, fragment);

    public bool AcceptingReplies => Status.AcceptingReplies;

    public bool InReview => Status.Phase == RoundPhase.Reviewing;

    public bool Active => Status.Phase is RoundPhase.Collecting or RoundPhase.Reviewing;
}

/// <summary>
/// A form the coordinator sent that was not carried out: which form (and item), the messages per field ("" for the form
/// as a whole), and what was typed, shown again so nothing is lost. <see cref="InEnglish"/> names the fields whose messages
/// are the API's own, which are in English.
/// </summary>
public sealed record RoundPageProblem(
    string Form,
    string? ItemId,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyCollection<string> InEnglish)
{
    public bool IsFor(string form, string? itemId = null) => Form == form && ItemId == itemId;

    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    public string? Value(string field) => Values.GetValueOrDefault(field);

    public bool IsEnglish(string field) => InEnglish.Contains(field);
}

/// <summary>The console's paths for a round, as <see cref="Http.ApiRoutes"/> declares them.</summary>
public static class RoundPagePaths
{
    public const string Script = "/api/console/scripts/round-page.js";

    public static string Page(string roundId) => $"/api/console/rounds/{Uri.EscapeDataString(roundId)}";

    public static string Action(string roundId, string action) => $"{Page(roundId)}/{action}";

    public static string Settlement(string roundId, string itemId) => $"{Page(roundId)}/items/{Uri.EscapeDataString(itemId)}/settlement";

    public static string WithLanguage(string path, string? language, string? fragment = null, params (string Name, string Value)[] query)
    {
        var parameters = query.Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value)}").ToList();
        if (language is not null)
        {
            parameters.Add($"lang={language}");
        }

        return path + (parameters.Count > 0 ? "?" + string.Join('&', parameters) : "") + (fragment is null ? "" : "#" + fragment);
    }
}

/// <summary>What the participants table shows: the round's phase and draft version (to tell when the page is out of date) and each participant.</summary>
public sealed record RoundPageParticipantsView(string Id, RoundPhase Phase, int PositionVersion, IReadOnlyList<ParticipantStatus> Participants);
