using System.Globalization;

namespace MultilateralFlows.Benchmarks;

/// <summary>What else the machine is doing: the shared build machines make absolute times noisy.</summary>
public static class Machine
{
    /// <summary>The one-minute load average (Linux), or NaN elsewhere.</summary>
    public static double LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return double.Parse(fields[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}
