using System.Diagnostics;
using System.Text;

namespace MultilateralFlows.Testing;

/// <summary>
/// A process started for a test, with its output kept for failure messages. Started under a small shell guard that
/// kills it when the test process goes away, so a crashed test run leaves nothing behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    ChildProcess(Process process)
    {
        this.process = process;
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string?> environment, string workingDirectory)
    {
        // A watcher subshell kills the child, and whatever it started (the Functions host's worker), when our pid is gone.
        var command = string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));
        var guard = $"parent={Environment.ProcessId}; {command} & child=$!; " +
                    "tree() { for c in $(cat /proc/$1/task/*/children 2>/dev/null); do tree $c; done; echo $1; }; " +
                    "(while kill -0 $parent 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; kill -9 $(tree $child) 2>/dev/null) & " +
                    "wait $child";
        var info = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(guard);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool IsRunning => !process.HasExited;

    public int Id => process.Id;

    /// <summary>The exit code, once <see cref="IsRunning"/> is false.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Waits for the process to end on its own; false if it is still running after the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// SIGKILL to the guard and everything under it: no chance to clean up, like a crash. One signal per process, not
    /// <c>Process.Kill(entireProcessTree)</c>, which stops the tree first and, when the test process is exiting, can leave
    /// the guard stopped for good.
    /// </summary>
    public void Kill()
    {
        if (process.HasExited)
        {
            return;
        }

        var tree = Descendants(process.Id).ToList();
        process.Kill();
        foreach (var pid in tree.Where(IsAlive))
        {
            try
            {
                using var descendant = Process.GetProcessById(pid);
                descendant.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile.
            }
        }

        process.WaitForExit(10_000);
    }

    /// <summary>
    /// SIGTERM to the child and everything it started (not the guard), then wait; true if they all exited in time. What
    /// is still running then is killed: a process that outlives its parent (the Functions host's worker, when the host
    /// stops first) would otherwise be left behind.
    /// </summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return true;
        }

        var descendants = Descendants(process.Id).ToList();
        foreach (var pid in descendants)
        {
            Signal("-TERM", pid);
        }

        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until && (!process.HasExited || descendants.Any(IsAlive)))
        {
            await Task.Delay(100);
        }

        var exited = process.HasExited && !descendants.Any(IsAlive);
        foreach (var pid in descendants.Where(IsAlive))
        {
            Signal("-KILL", pid);
        }

        return exited;
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    /// <summary>Every process below this one, children before their own children.</summary>
    static IEnumerable<int> Descendants(int parent)
    {
        foreach (var child in Children(parent))
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }

    /// <summary>The process's children; none once it is gone, which it may be at any moment, between any two reads.</summary>
    static List<int> Children(int parent)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{parent}/task")
                .Select(task => Path.Combine(task, "children"))
                .Where(File.Exists)
                .SelectMany(path => File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse)
                .Distinct()
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        kill!.WaitForExit();
    }

    void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
