using System.Globalization;

namespace MultilateralFlows.Consolidation;

/// <summary>Deadlines are shown to people in Brussels time, whatever the server's zone.</summary>
public static class BrusselsTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static DateTimeOffset ToBrussels(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static string Format(DateTimeOffset instant) =>
        ToBrussels(instant).ToString("yyyy-MM-dd HH:mm 'Brussels time'", CultureInfo.InvariantCulture);

    /// <summary>How a person types a date and time in the console: a form's <c>datetime-local</c> value, or by hand.</summary>
    static readonly string[] TypedFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd H:mm"];

    /// <summary>
    /// A date and time typed in Brussels time (<c>2026-12-15 17:00</c>, <c>2026-12-15T17:00</c>) as the ISO 8601 date and
    /// time with that day's offset, which the API takes. Anything else goes on as typed, for the API's validator to
    /// accept (ISO 8601 with its own offset) or to refuse with its reason.
    /// </summary>
    public static string TypedToIso(string typed)
    {
        var text = typed.Trim();
        return DateTime.TryParseExact(text, TypedFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
            : text;
    }
}
