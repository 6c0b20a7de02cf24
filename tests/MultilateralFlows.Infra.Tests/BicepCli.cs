using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MultilateralFlows.Infra.Tests;

/// <summary>One diagnostic the Bicep CLI printed: <c>path(line,col) : Warning rule-or-code: message</c>.</summary>
public sealed record BicepDiagnostic(string Path, int Line, string Level, string Code, string Message)
{
    public override string ToString() => $"{Path}({Line}) {Level} {Code}: {Message}";
}

public sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError, IReadOnlyList<BicepDiagnostic> Diagnostics);

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (its <c>tools/bicep</c>), whose path the
/// build writes into this assembly's metadata. It compiles and lints offline: the resource types are built in.
/// </summary>
public static partial class BicepCli
{
    static readonly Lazy<string> Executable = new(Locate);

    public static string InfraFolder => Path.Combine(Testing.RepositoryPaths.Root, "infra");

    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = Testing.RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 2 minutes.");
        }

        var output = await stdout;
        var errors = await stderr;
        var diagnostics = (output + "\n" + errors)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => DiagnosticLine().Match(line))
            .Where(m => m.Success)
            .Select(m => new BicepDiagnostic(m.Groups["path"].Value, int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["level"].Value, m.Groups["code"].Value, m.Groups["message"].Value))
            .Distinct()
            .ToList();
        return new BicepRun(process.ExitCode, output, errors, diagnostics);
    }

    /// <summary>Every .bicep file under infra/, as paths relative to the repository root with '/' separators.</summary>
    public static IReadOnlyList<string> BicepFiles() =>
        Directory.EnumerateFiles(InfraFolder, "*.bicep", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Testing.RepositoryPaths.Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    static string Locate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException("The infra tests run the linux-x64 Bicep CLI from NuGet; run them on linux-x64 (as CI does).");
        }

        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepCli")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI was not found at '{path}'; restore the Azure.Bicep.CommandLine.linux-x64 package.");
        }

        // NuGet does not always keep the executable bit when it extracts a package.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }

    [GeneratedRegex(@"^(?<path>.+)\((?<line>\d+),(?<column>\d+)\) : (?<level>Error|Warning|Info) (?<code>[^:]+): (?<message>.*)$")]
    private static partial Regex DiagnosticLine();
}
