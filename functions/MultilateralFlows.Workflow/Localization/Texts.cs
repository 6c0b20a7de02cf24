using System.Globalization;
using System.Resources;

namespace MultilateralFlows.Localization;

/// <summary>
/// The words of the e-mails, the coordinator notices and the reply page in one language, from <c>Texts.resx</c>
/// (English, the neutral resources) and its translations <c>Texts.nl.resx</c>, <c>Texts.fr.resx</c> and
/// <c>Texts.de.resx</c>, built into satellite assemblies (<c>fr/MultilateralFlows.Workflow.resources.dll</c>, ...).
/// <see cref="Email.EmailTexts"/> and <see cref="Replies.ReplyPageTexts"/> give the templates typed access.
/// </summary>
public sealed class Texts
{
    // A ResourceManager rather than an IStringLocalizer: the language is chosen per message (the participant's directory
    // language, the coordinator setting), where a localizer reads the thread's CurrentUICulture.
    internal static ResourceManager Resources { get; } = new(typeof(Texts));

    static readonly Texts Dutch = new("nl");
    static readonly Texts French = new("fr");
    static readonly Texts German = new("de");
    static readonly Texts English = new("en");

    readonly CultureInfo culture;

    Texts(string language)
    {
        Language = language;
        // Only the name matters (it picks the satellite assembly): dates and month names are written from the resources.
        // A build with InvariantGlobalization would need PredefinedCulturesOnly=false for these names to exist.
        culture = CultureInfo.GetCultureInfo(language);
    }

    /// <summary>nl, fr, de or en, as HTML's <c>lang</c> attribute names it.</summary>
    public string Language { get; }

    public static IReadOnlyList<Texts> All { get; } = [Dutch, French, German, English];

    // Matched exactly rather than through CultureInfo: the directory and the settings hold only these four codes and
    // anything else (fr-BE, es, null) has always meant English, where culture fallback would make fr-BE French.
    public static Texts For(string? language) => language switch
    {
        "nl" => Dutch,
        "fr" => French,
        "de" => German,
        _ => English,
    };

    public string this[string key] =>
        Resources.GetString(key, culture) is { Length: > 0 } text
            ? text
            : throw new MissingManifestResourceException($"Texts.resx has no text named '{key}'.");

    /// <summary>A text with values: a composite format (<c>{0}</c>, <c>{1}</c>, ...) filled in.</summary>
    public string Format(string key, params object?[] values) =>
        // Invariant: the values are titles, names and plain numbers; dates come already written (see EmailTexts.Format).
        string.Format(CultureInfo.InvariantCulture, this[key], values);
}
