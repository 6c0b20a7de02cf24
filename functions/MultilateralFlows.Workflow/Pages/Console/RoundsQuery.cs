using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Localization;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Pages.Console;

/// <summary>
/// The filters of the console's list of rounds, as the GET form puts them in the URL (so a filtered list can be
/// bookmarked and shared): <c>q</c>, <c>phase</c>, <c>procedure</c>, <c>organisation</c>, <c>deadlineFrom</c> and
/// <c>deadlineBefore</c> (dates, read in Brussels time), <c>mine</c>, and <c>continuation</c> for the next page.
/// </summary>
public sealed record RoundsQuery(
    string Search = "", string Phase = "", string Procedure = "", string Organisation = "", string DeadlineFrom = "",
    string DeadlineBefore = "", bool Mine = false, string Continuation = "")
{
    public const int PageSize = 25;
    public const int MaxSearchLength = 200;

    public static RoundsQuery Read(IQueryCollection query)
    {
        string One(string name) => query[name].LastOrDefault()?.Trim() ?? "";
        return new RoundsQuery(
            One("q"), One("phase"), One("procedure"), One("organisation"), One("deadlineFrom"), One("deadlineBefore"),
            One("mine") is "true" or "on", One("continuation"));
    }

    /// <summary>The store's filter for these values, or the errors by field (the form control's id) in the console's words.</summary>
    public (RoundFilter? Filter, Dictionary<string, string[]> Errors) ToFilter(ConsoleTexts texts, string personEmail)
    {
        var errors = new Dictionary<string, string[]>();
        var phase = Enum.TryParse<RoundPhase>(Phase, ignoreCase: false, out var p) && Enum.IsDefined(p) ? p : (RoundPhase?)null;
        var procedure = Enum.TryParse<Procedure>(Procedure, ignoreCase: false, out var r) && Enum.IsDefined(r) ? r : (Procedure?)null;
        if (Phase.Length > 0 && phase is null)
        {
            errors["phase"] = [texts["Rounds.BadChoice"]];
        }

        if (Procedure.Length > 0 && procedure is null)
        {
            errors["procedure"] = [texts["Rounds.BadChoice"]];
        }

        var from = Day(DeadlineFrom, "deadlineFrom", texts, errors);
        var before = Day(DeadlineBefore, "deadlineBefore", texts, errors);
        if (Organisation.Length > RoundRequestValidator.MaxOrganisationLength)
        {
            errors["organisation"] = [texts.Format("Rounds.TooLong", RoundRequestValidator.MaxOrganisationLength)];
        }

        if (Search.Length > MaxSearchLength)
        {
            errors["q"] = [texts.Format("Rounds.TooLong", MaxSearchLength)];
        }

        if (Continuation.Length > 1024)
        {
            errors["continuation"] = [texts["Rounds.BadContinuation"]];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new RoundFilter(
                phase, procedure, NullIfEmpty(Organisation), PageSize, NullIfEmpty(Continuation), before, from,
                Mine ? personEmail : null, NullIfEmpty(Search)), errors);
    }

    /// <summary>The start of a day in Brussels, from a <c>date</c> input's value.</summary>
    static DateTimeOffset? Day(string value, string field, ConsoleTexts texts, Dictionary<string, string[]> errors)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors[field] = [texts["Rounds.BadDate"]];
            return null;
        }

        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, BrusselsTime.Zone.GetUtcOffset(midnight));
    }

    static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The list's URL with these filters and another page.</summary>
    public string Href(string? continuation)
    {
        var values = new Dictionary<string, string?>
        {
            ["q"] = NullIfEmpty(Search),
            ["phase"] = NullIfEmpty(Phase),
            ["procedure"] = NullIfEmpty(Procedure),
            ["organisation"] = NullIfEmpty(Organisation),
            ["deadlineFrom"] = NullIfEmpty(DeadlineFrom),
            ["deadlineBefore"] = NullIfEmpty(DeadlineBefore),
            ["mine"] = Mine ? "true" : null,
            ["continuation"] = continuation,
        };
        return QueryHelpers.AddQueryString(ConsolePaths.Rounds, values.Where(v => v.Value is not null));
    }
}
