namespace MultilateralFlows.Testing;

/// <summary>
/// How the tests run the Functions app on the Azure Functions host: with Azure Functions Core Tools (<c>func</c>) where
/// they are on the PATH; else with the script that <see cref="Setting"/> names, which is called as
/// <c>script APP_OUTPUT_DIR PORT</c> and must run the app's build output on the Functions host as <c>func start</c> would
/// (the function key in <c>FUNCTIONS_HOST_KEY</c>, the settings from the environment). Where neither is there, the
/// Functions-host tests are skipped, each saying why (<see cref="Unavailable"/>).
/// </summary>
public static class FunctionsHostRunner
{
    public const string Setting = "MULTILATERALFLOWS_FUNCTIONS_HOST";

    static readonly string? CoreTools = FindOnPath("func");
    static readonly SemaphoreSlim FirstStart = new(1, 1);
    static bool startedOnce;
    static readonly string? Script = Environment.GetEnvironmentVariable(Setting) is { Length: > 0 } path ? Path.GetFullPath(path, RepositoryPaths.Root) : null;

    /// <summary>Why the Functions-host tests cannot run here, or null when they can.</summary>
    public static string? Unavailable { get; } =
        CoreTools is not null || Script is not null && File.Exists(Script) ? null
        : Script is not null ? $"No Functions host: {Setting} names {Script}, which does not exist."
        : $"No Functions host: Azure Functions Core Tools (func) are not on the PATH and {Setting} is not set (see README, 'Testing on the Functions host').";

    /// <summary>Core Tools let coordinator routes through without a function key locally; the host script and Azure do not.</summary>
    public static bool EnforcesFunctionKeys => CoreTools is null;

    /// <summary>Which runner the tests use, for their output.</summary>
    public static string Description => CoreTools is not null ? $"Core Tools ({CoreTools})" : Script ?? "none";

    public static (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory) Command(string appDirectory, int port) =>
        CoreTools is not null
            ? (CoreTools, ["host", "start", "--port", $"{port}"], appDirectory)
            : ("bash", [Script!, appDirectory, $"{port}"], RepositoryPaths.NewTempFolder("functions-host"));

    /// <summary>
    /// Runs a host's start; the first of a test run alone, because a host script may build the host on its first call
    /// (and two builds at once would trip over each other). Later starts run side by side.
    /// </summary>
    public static async Task StartAsync(Func<Task> start)
    {
        if (Volatile.Read(ref startedOnce))
        {
            await start();
            return;
        }

        await FirstStart.WaitAsync();
        try
        {
            await start();
            Volatile.Write(ref startedOnce, true);
        }
        finally
        {
            FirstStart.Release();
        }
    }

    static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
