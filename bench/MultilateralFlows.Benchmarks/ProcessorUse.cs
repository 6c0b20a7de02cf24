using System.Globalization;
using System.Text;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Processor time used so far by a host's processes and by Azurite, read from <c>/proc</c>: what a figure cost in the
/// machine's scarcest resource (two cores, shared), and on which side of the Functions host's split between the host
/// and the app's worker. A host's processes are told apart by the mail folder in their environment (unique to each
/// host; the Functions host's worker inherits it), Azurite by its table port on its command line. Linux only: zero
/// elsewhere.
/// </summary>
public sealed record ProcessorUse(TimeSpan Host, TimeSpan Worker, TimeSpan Azurite)
{
    /// <summary>USER_HZ, the unit of the times in <c>/proc/{pid}/stat</c>: 100 on Linux whatever the kernel's tick.</summary>
    const double TicksPerSecond = 100;

    public TimeSpan Total => Host + Worker + Azurite;

    public static ProcessorUse operator -(ProcessorUse later, ProcessorUse earlier) =>
        new(later.Host - earlier.Host, later.Worker - earlier.Worker, later.Azurite - earlier.Azurite);

    public static ProcessorUse Sample(HostProcess host, AzuriteServer storage)
    {
        var (hostTime, workerTime, azuriteTime) = (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        if (!Directory.Exists("/proc"))
        {
            return new ProcessorUse(hostTime, workerTime, azuriteTime);
        }

        var mailFolderSetting = $"MailFolder__Path={host.MailFolderPath}";
        var azuritePort = $"--tablePort\0{storage.TablePort}\0";
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || Read($"{folder}/cmdline") is not { Length: > 0 } command)
            {
                continue;
            }

            // The program itself, not the shell guard whose command line names it too.
            var program = command[..Math.Max(0, command.IndexOf('\0', StringComparison.Ordinal))];
            if (program == "node"
                && command.Contains("azurite.js", StringComparison.Ordinal)
                && command.Contains(azuritePort, StringComparison.Ordinal))
            {
                azuriteTime += Used(pid);
            }
            else if (program == "dotnet" && Read($"{folder}/environ") is { } environment && environment.Split('\0').Contains(mailFolderSetting))
            {
                if (command.Contains("MultilateralFlows.Functions.dll", StringComparison.Ordinal))
                {
                    workerTime += Used(pid);
                }
                else
                {
                    hostTime += Used(pid);
                }
            }
        }

        return new ProcessorUse(hostTime, workerTime, azuriteTime);
    }

    /// <summary>User and system time of one process (fields 14 and 15 of its stat line, counted after the command's closing parenthesis).</summary>
    static TimeSpan Used(int pid)
    {
        if (Read($"/proc/{pid}/stat") is not { } stat)
        {
            return TimeSpan.Zero;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>A file of /proc, or null when the process has gone or is not ours to read.</summary>
    static string? Read(string path)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
