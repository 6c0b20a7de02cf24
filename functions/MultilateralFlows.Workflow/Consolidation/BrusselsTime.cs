using System.Globalization;

namespace MultilateralFlows.Consolidation;

/// <summary>Deadlines are shown to people in Brussels time, whatever the server's zone.</summary>
public static class BrusselsTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static DateTimeOffset ToBrussels(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static string Format(DateTimeOffset instant) =>
        ToBrussels(instant).ToString("yyyy-MM-dd HH:mm 'Brussels time'", CultureInfo.InvariantCulture);
}
