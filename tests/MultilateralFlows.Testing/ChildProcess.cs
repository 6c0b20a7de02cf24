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
        // exec replaces the guard's shell, but a watcher subshell remains that kills the child when our pid is gone.
        var command = string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));
        var guard = $"parent={Environment.ProcessId}; {command} & child=$!; " +
                    "(while kill -0 $parent 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; kill -9 $child 2>/dev/null) & " +
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

    /// <summary>SIGKILL to the whole process group under the guard: no chance to clean up, like a crash.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM to the child (not the guard), then wait; true if it exited in time.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return true;
        }

        foreach (var pid in ChildPids(process.Id))
        {
            using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

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

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    static IEnumerable<int> ChildPids(int parent)
    {
        var path = $"/proc/{parent}/task/{parent}/children";
        return File.Exists(path)
            ? File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)
            : [];
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
