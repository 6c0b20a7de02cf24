namespace MultilateralFlows.Testing;

/// <summary>The local host as `npm start` runs it: the built MultilateralFlows.LocalHost on its own port.</summary>
public sealed class LocalHostProcess : HostProcess
{
    internal LocalHostProcess(AzuriteServer storage, string taskHub, IReadOnlyDictionary<string, string?>? extraSettings, string? sharedMailFolder)
        : base(storage, taskHub, WithLocalSettings(taskHub, extraSettings), sharedMailFolder)
    {
    }

    public override HostKind Kind => HostKind.Local;

    public override string WorkerId => Settings["LocalHost__WorkerId"]!;

    /// <summary>What makes another local host on the same task hub an instance of its own.</summary>
    internal static Dictionary<string, string?> InstanceSettings(string taskHub, string instance) =>
        new() { ["LocalHost__WorkerId"] = $"test-{taskHub}-{instance}" };

    /// <summary>Starts a local host; most tests use <see cref="HostProcess.StartAsync"/> to run on either host.</summary>
    public static async Task<LocalHostProcess> StartAsync(AzuriteServer storage, IReadOnlyDictionary<string, string?>? extraSettings = null, string? taskHub = null) =>
        (LocalHostProcess)await HostProcess.StartAsync(HostKind.Local, storage, extraSettings, taskHub);

    protected override (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory) Command()
    {
        if (!File.Exists(RepositoryPaths.LocalHostDll))
        {
            throw new InvalidOperationException($"The local host is not built at {RepositoryPaths.LocalHostDll}.");
        }

        // The port is a setting, not an argument: set once the base class has chosen it.
        Settings["LocalHost__Port"] = $"{Port}";
        return ("dotnet", [RepositoryPaths.LocalHostDll], RepositoryPaths.Root);
    }

    static Dictionary<string, string?> WithLocalSettings(string taskHub, IReadOnlyDictionary<string, string?>? extraSettings)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LocalHost__WorkerId"] = $"test-{taskHub}",
            // Not the developer's local.settings.json: tests say everything they need.
            ["LOCAL_SETTINGS_PATH"] = "/nonexistent/local.settings.json",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
