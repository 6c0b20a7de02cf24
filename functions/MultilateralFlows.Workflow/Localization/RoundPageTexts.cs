using System.Globalization;
using System.Resources;
using Microsoft.AspNetCore.Http;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Localization;

/// <summary>
/// What the console's round page says, in nl, fr or en, from <c>RoundPageTexts.resx</c> (English, neutral) and its
/// translations. The console is for coordinators, who work in Dutch, French or English: there is no German here, and a
/// German browser reads English. Enum values are said in words through the typed members, never by their names.
/// </summary>
public sealed class RoundPageTexts
{
    internal static ResourceManager Resources { get; } = new(typeof(RoundPageTexts));

    static readonly RoundPageTexts Dutch = new("nl");
    static readonly RoundPageTexts French = new("fr");
    static readonly RoundPageTexts English = new("en");

    readonly CultureInfo culture;

    RoundPageTexts(string language)
    {
        Language = language;
        culture = CultureInfo.GetCultureInfo(language);
    }

    /// <summary>nl, fr or en, as HTML's <c>lang</c> attribute names it.</summary>
    public string Language { get; }

    public static IReadOnlyList<RoundPageTexts> All { get; } = [Dutch, French, English];

    public static RoundPageTexts For(string? language) => language switch
    {
        "nl" => Dutch,
        "fr" => French,
        _ => English,
    };

    /// <summary>The language the console chose for the request (the query, the remembered choice, the browser's).</summary>
    public static RoundPageTexts For(HttpRequest request) => For(Pages.Console.ConsoleLanguage.Choose(request).Language);

    /// <summary>The language the query names, if it names one of the console's: what links and forms carry on.</summary>
    public static string? Chosen(HttpRequest request)
    {
        var lang = request.Query["lang"].ToString();
        return lang is "nl" or "fr" or "en" ? lang : null;
    }

    public string this[string key] =>
        Resources.GetString(key, culture) is { Length: > 0 } text
            ? text
            : throw new MissingManifestResourceException($"RoundPageTexts.resx has no text named '{key}'.");

    public string Format(string key, params object?[] values) => string.Format(CultureInfo.InvariantCulture, this[key], values);

    public string Phase(RoundPhase phase) => this["Phase" + phase];

    public string State(ParticipantState state, int version) =>
        state == ParticipantState.Amended ? Format("StateAmended", version) : this["State" + state];

    public string Delivery(DeliveryState? delivery) => this["Delivery" + (delivery?.ToString() ?? "None")];

    public string Stance(PositionStance stance) => this["Stance" + stance];

    public string Outcome(ItemOutcome outcome) => this["Outcome" + outcome];

    public string Competence(Competence competence) => this["Competence" + competence];

    /// <summary>A settlement as the draft shows it (short).</summary>
    public string Settled(SettlementKind how) => this["Settled" + how];

    /// <summary>A way of settling as the settle form offers it (with what it takes).</summary>
    public string SettleChoice(SettlementKind how) => this["Settle" + how];

    /// <summary>A moment as the page shows it: Brussels time, the same in every language.</summary>
    public string Time(DateTimeOffset instant) =>
        Format("BrusselsTime", BrusselsTime.ToBrussels(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
}
