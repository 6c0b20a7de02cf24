using System.Collections.Concurrent;

namespace MultilateralFlows.Testing;

/// <summary>
/// Counts every time a message file lands in a mail folder, across host restarts. The mail folder names a file after the
/// message (round, participant, kind, message number) and overwrites it when the same message is written again, so the folder
/// alone cannot show a second send; the file system's notifications can: each send is one rename of a finished
/// temporary file onto the message's name. A name that lands twice is an e-mail sent twice.
/// </summary>
public sealed class MailFolderWatcher : IDisposable
{
    readonly FileSystemWatcher watcher;
    readonly ConcurrentDictionary<string, int> arrivals = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<string> errors = new();

    public MailFolderWatcher(string folder)
    {
        Directory.CreateDirectory(folder);
        watcher = new FileSystemWatcher(folder)
        {
            // The largest buffer inotify allows through .NET: bursts of hundreds of messages must not overflow it.
            InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName,
            IncludeSubdirectories = false,
        };
        watcher.Created += (_, e) => Arrived(e.Name);
        watcher.Renamed += (_, e) => Arrived(e.Name);
        watcher.Error += (_, e) => errors.Enqueue(e.GetException().Message);
        watcher.EnableRaisingEvents = true;
    }

    /// <summary>How often each message file arrived, by file name.</summary>
    public IReadOnlyDictionary<string, int> Arrivals => arrivals;

    /// <summary>Message files that arrived more than once: e-mails sent twice.</summary>
    public IReadOnlyList<string> Duplicates() => arrivals.Where(a => a.Value > 1).Select(a => $"{a.Key} ×{a.Value}").Order(StringComparer.Ordinal).ToList();

    /// <summary>Overflows or other watcher failures: if there are any, the counts cannot be trusted.</summary>
    public IReadOnlyList<string> Errors => errors.ToList();

    /// <summary>Notifications arrive a moment after the rename; give them that moment before counting.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(1));

    void Arrived(string? name)
    {
        if (name is not null && name.EndsWith(".json", StringComparison.Ordinal))
        {
            arrivals.AddOrUpdate(name, 1, (_, count) => count + 1);
        }
    }

    public void Dispose() => watcher.Dispose();
}
