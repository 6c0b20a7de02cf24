namespace MultilateralFlows.Testing;

/// <summary>
/// The Functions app (its build output) on the Azure Functions host, as <c>func start</c> and Azure run it: the host
/// enforces function keys on coordinator routes (<see cref="FunctionKey"/>, sent by <see cref="HostProcess.Client"/>)
/// and runs the app's isolated worker as its child process. Which host runs it: <see cref="FunctionsHostRunner"/>.
/// </summary>
public sealed class FunctionsHostProcess : HostProcess
{
    /// <summary>The function key (and master key) of every test Functions host.</summary>
    public const string FunctionKey = "test-function-key";

    internal FunctionsHostProcess(
        AzuriteServer storage, string taskHub, IReadOnlyDictionary<string, string?>? extraSettings, string? sharedMailFolder)
        : base(storage, taskHub, WithFunctionsSettings(taskHub, extraSettings), sharedMailFolder)
    {
        Client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
    }

    public override HostKind Kind => HostKind.Functions;

    /// <summary>
    /// The Durable extension names a worker after the machine, or after the App Service stamp and role instance where
    /// the platform sets them (each instance in Azure is a machine of its own).
    /// </summary>
    public override string WorkerId =>
        Settings.GetValueOrDefault(StampName) is { } stamp && Settings.GetValueOrDefault(RoleInstance) is { } role ? $"{stamp}:{role}" : Environment.MachineName;

    const string StampName = "WEBSITE_CURRENT_STAMPNAME";
    const string RoleInstance = "RoleInstanceId";

    /// <summary>
    /// What makes another Functions host on this machine an instance of its own: in Azure each instance is a machine of its
    /// own, here they share one, so the instance gets the platform's stamp and role instance names, which the Durable
    /// extension prefers to the machine's name as the worker id. (A role instance without "HostRole" in its name does not
    /// make the Functions host take itself for a scale set.)
    /// </summary>
    internal static Dictionary<string, string?> InstanceSettings(string instance) =>
        new() { [StampName] = "tests", [RoleInstance] = instance };

    /// <summary>The host starts, loads the Durable extension and starts the worker: slower than the local host.</summary>
    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(150);

    protected override (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory) Command()
    {
        if (FunctionsHostRunner.Unavailable is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        if (!File.Exists(Path.Combine(RepositoryPaths.FunctionsAppDir, "functions.metadata")))
        {
            throw new InvalidOperationException($"The Functions app is not built at {RepositoryPaths.FunctionsAppDir}.");
        }

        return FunctionsHostRunner.Command(RepositoryPaths.FunctionsAppDir, Port);
    }

    /// <summary>
    /// A worker that throws at start-up leaves the host up, restarting the worker again and again, and the health route
    /// never answers: stop at the first such exception instead of waiting for the time-out.
    /// The host also goes on when a function fails indexing (a trigger's setting that does not resolve, say), leaving that
    /// function disabled without a word to the caller: that is a failed start too.
    /// </summary>
    protected override string? StartFailure(string output) =>
        output.Split('\n').FirstOrDefault(line =>
            line.Contains("Unhandled exception.", StringComparison.Ordinal) ||
            line.Contains("failed indexing and will be disabled", StringComparison.Ordinal))?.Trim();

    static Dictionary<string, string?> WithFunctionsSettings(string taskHub, IReadOnlyDictionary<string, string?>? extraSettings)
    {
        var settings = new Dictionary<string, string?>
        {
            // A host id of its own, as each app has in Azure. The host derives it from the machine otherwise, so hosts on
            // one Azurite would share it, and with it the timer trigger's singleton lock: the first host to take it
            // would run every host's housekeeping timer, and the others none.
            ["AzureFunctionsWebHost__hostid"] = $"mf-{taskHub}",
            ["FUNCTIONS_HOST_KEY"] = FunctionKey,
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            // As in Azure (set by the Bicep): the host's root is not a page of this app.
            ["AzureWebJobsDisableHomepage"] = "true",
            // As in Azure: the timer trigger's schedule is a setting the host must find.
            ["Housekeeping__Schedule"] = "0 7 * * * *",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
