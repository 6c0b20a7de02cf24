using System.Globalization;
using System.Resources;
using Microsoft.AspNetCore.Http;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Localization;

/// <summary>
/// The words of the coordinator console in one language, from <c>ConsoleTexts.resx</c> (English, the neutral resources)
/// and its translations <c>ConsoleTexts.nl.resx</c> and <c>ConsoleTexts.fr.resx</c>. The console speaks the languages of
/// the people who coordinate rounds, nl, fr and en; German is not one of them (the e-mails and the reply page are).
/// Enum values are said in words through the typed members, never by their names.
/// </summary>
public sealed class ConsoleTexts
{
    internal static ResourceManager Resources { get; } = new(typeof(ConsoleTexts));

    static readonly ConsoleTexts Dutch = new("nl");
    static readonly ConsoleTexts French = new("fr");
    static readonly ConsoleTexts English = new("en");

    readonly CultureInfo culture;

    ConsoleTexts(string language)
    {
        Language = language;
        culture = CultureInfo.GetCultureInfo(language);
    }

    /// <summary>nl, fr or en, as HTML's <c>lang</c> attribute names it.</summary>
    public string Language { get; }

    public static IReadOnlyList<ConsoleTexts> All { get; } = [Dutch, French, English];

    /// <summary>The texts of a language the console speaks, or null for any other code.</summary>
    public static ConsoleTexts? Find(string? language) => language switch
    {
        "nl" => Dutch,
        "fr" => French,
        "en" => English,
        _ => null,
    };

    public static ConsoleTexts For(string? language) => Find(language) ?? English;

    /// <summary>The language the query names, if it names one of the console's: what links and forms carry on.</summary>
    public static string? Chosen(HttpRequest request) => Find(request.Query["lang"].ToString())?.Language;

    public string this[string key] =>
        Resources.GetString(key, culture) is { Length: > 0 } text
            ? text
            : throw new MissingManifestResourceException($"ConsoleTexts.resx has no text named '{key}'.");

    /// <summary>A text with values: a composite format (<c>{0}</c>, <c>{1}</c>, ...) filled in.</summary>
    public string Format(string key, params object?[] values) => string.Format(CultureInfo.InvariantCulture, this[key], values);

    public string Phase(RoundPhase phase) => this[$"Phase.{phase}"];

    public string Procedure(Procedure procedure) => this[$"Procedure.{procedure}"];

    public string Kind(MeetingKind kind) => this[$"Kind.{kind}"];

    public string Competence(Competence competence) => this[$"Competence.{competence}"];

    /// <summary>An instant as people in Brussels read it: <c>2026-12-15 17:00 Brussels time</c>, in this language.</summary>
    public string BrusselsTime(DateTimeOffset instant) =>
        Format("Time.Brussels", Consolidation.BrusselsTime.ToBrussels(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));

    public string State(ParticipantState state, int version) =>
        state == ParticipantState.Amended ? Format("StateAmended", version) : this["State" + state];

    public string Delivery(DeliveryState? delivery) => this["Delivery" + (delivery?.ToString() ?? "None")];

    public string Stance(PositionStance stance) => this["Stance" + stance];

    public string Outcome(ItemOutcome outcome) => this["Outcome" + outcome];

    /// <summary>A settlement as the draft shows it (short).</summary>
    public string Settled(SettlementKind how) => this["Settled" + how];

    /// <summary>A way of settling as the settle form offers it (with what it takes).</summary>
    public string SettleChoice(SettlementKind how) => this["Settle" + how];
}
