namespace MultilateralFlows.Benchmarks;

/// <summary>Percentiles of a sample of durations, nearest-rank.</summary>
public static class Stats
{
    /// <summary>
    /// The middle value, or the mean of the two middle values of an even count: the nearest-rank 50th percentile would
    /// report the faster of two runs as their median.
    /// </summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Ratio(double value, double floor) => floor > 0 ? value / floor : double.NaN;
}
