using System.Net.Http.Json;

namespace MultilateralFlows.Testing;

/// <summary>The two hosts of the workflow: the local host, and the Functions app on the Azure Functions host.</summary>
public enum HostKind
{
    /// <summary>The local host: the workflow on the Durable Task sidecar, as <c>npm start</c> runs it.</summary>
    Local,

    /// <summary>The production host: the Functions app on the Azure Functions host, as <c>func start</c> and Azure run it.</summary>
    Functions,
}

/// <summary>
/// A host of the workflow as a real process, with its own port, task hub and mail folder, pointed at a test's Azurite
/// through environment variables. It can be killed (SIGKILL) and started again with the same settings. The tests drive
/// both kinds through this one type: <see cref="StartAsync"/> picks the kind.
/// </summary>
public abstract class HostProcess : IAsyncDisposable
{
    /// <summary>The signing key every test host uses, so a test can derive what the host derives.</summary>
    public const string SigningKey = "test-signing-key-of-at-least-32-characters";

    readonly List<string> earlierOutput = [];
    readonly bool ownsMailFolder;
    ChildProcess? process;

    protected HostProcess(AzuriteServer storage, string taskHub, IReadOnlyDictionary<string, string?>? extraSettings, string? sharedMailFolder)
    {
        Port = FreePorts.Next();
        TaskHub = taskHub;
        Storage = storage;
        ownsMailFolder = sharedMailFolder is null;
        MailFolderPath = sharedMailFolder ?? RepositoryPaths.NewTempFolder("mail");
        BaseUrl = $"http://127.0.0.1:{Port}";
        Settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub,
            ["Links__PublicBaseUrl"] = BaseUrl,
            ["Links__SigningKey"] = SigningKey,
            ["MailFolder__Path"] = MailFolderPath,
            ["SendGrid__ApiKey"] = "",
            ["SendGrid__FromEmail"] = "multilateralflows@tests.example",
            ["DOTNET_ENVIRONMENT"] = "Development",
            // As local.settings.sample.json has it (and the local host by default): the console's development sign-in.
            ["Console__DevelopmentSignIn"] = "true",
            // Test hosts share an Azurite, each with a task hub of its own: to one host's stuck-round watchdog every other
            // host's round would look stuck (no instance in its hub). No test round lives a day; the watchdog's own test
            // sets a short grace on a host with an Azurite of its own.
            ["Housekeeping__StuckRoundGrace"] = "1.00:00:00",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }

        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        MailFolder = new MailFolder(MailFolderPath);
    }

    public abstract HostKind Kind { get; }

    /// <summary>Who this host is in the task hub's partition leases (the Partitions table's owners).</summary>
    public abstract string WorkerId { get; }

    public int Port { get; }

    public string TaskHub { get; }

    public AzuriteServer Storage { get; }

    public string BaseUrl { get; }

    public string MailFolderPath { get; }

    /// <summary>A client for the coordinator's routes: on the Functions host it sends the function key.</summary>
    public HttpClient Client { get; }

    public MailFolder MailFolder { get; }

    /// <summary>What the running host wrote to its console.</summary>
    public string Output => process?.Output ?? "";

    /// <summary>What every run of the host wrote, the killed ones included, oldest first.</summary>
    public string AllOutput => string.Concat(earlierOutput) + Output;

    /// <summary>How many times the host process has been started.</summary>
    public int Starts { get; private set; }

    /// <summary>The settings the host process gets as environment variables; the tests' own, then the test's extras.</summary>
    protected Dictionary<string, string?> Settings { get; }

    /// <summary>Starts a host of the given kind; a Functions host only where <see cref="FunctionsHostRunner"/> finds one.</summary>
    public static Task<HostProcess> StartAsync(
        HostKind kind, AzuriteServer storage, IReadOnlyDictionary<string, string?>? extraSettings = null, string? taskHub = null) =>
        StartAsync(kind, storage, extraSettings, taskHub ?? NewTaskHubName(), sharedMailFolder: null);

    /// <summary>
    /// Another instance of the app a host runs, as Azure starts when it scales out: the same storage, task hub and mail folder
    /// (for the Functions host, the same host id too), with a port of its own and a worker id of its own, under which it
    /// takes its share of the task hub's partitions.
    /// </summary>
    public static Task<HostProcess> StartInstanceAsync(HostProcess running, string instance, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var settings = new Dictionary<string, string?>(extraSettings ?? new Dictionary<string, string?>());
        foreach (var (name, value) in running.Kind == HostKind.Local
            ? LocalHostProcess.InstanceSettings(running.TaskHub, instance)
            : FunctionsHostProcess.InstanceSettings(instance))
        {
            settings[name] = value;
        }

        return StartAsync(running.Kind, running.Storage, settings, running.TaskHub, running.MailFolderPath);
    }

    static async Task<HostProcess> StartAsync(
        HostKind kind, AzuriteServer storage, IReadOnlyDictionary<string, string?>? extraSettings, string taskHub, string? sharedMailFolder)
    {
        HostProcess host = kind switch
        {
            HostKind.Local => new LocalHostProcess(storage, taskHub, extraSettings, sharedMailFolder),
            HostKind.Functions => new FunctionsHostProcess(storage, taskHub, extraSettings, sharedMailFolder),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        try
        {
            await (kind == HostKind.Functions ? FunctionsHostRunner.StartAsync(host.StartProcessAsync) : host.StartProcessAsync());
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Task hub names: letters and digits, starting with a letter, at most 45 characters.</summary>
    public static string NewTaskHubName() => $"t{Guid.NewGuid():N}"[..20];

    /// <summary>Starts the host process (killing a running one first) and waits until its health route answers.</summary>
    public async Task StartProcessAsync()
    {
        if (process is not null)
        {
            process.Kill();
            earlierOutput.Add($"{process.Output}--- {Kind} host run {Starts} ended ---\n");
            process.Dispose();
        }

        Starts++;
        var (fileName, arguments, workingDirectory) = Command();
        process = ChildProcess.Start(fileName, arguments, Settings, workingDirectory);
        var until = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (!process.IsRunning)
            {
                throw new InvalidOperationException($"The {Kind} host exited during start:\n{process.Output}");
            }

            if (StartFailure(process.Output) is { } failure)
            {
                throw new InvalidOperationException($"The {Kind} host failed to start ({failure}):\n{process.Output}");
            }

            try
            {
                using var health = await Client.GetAsync("/api/health");
                if (health.IsSuccessStatusCode && (await health.Content.ReadFromJsonAsync<Dictionary<string, string>>())?["status"] == "ok")
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < until)
            {
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The {Kind} host did not answer within {StartTimeout.TotalSeconds} s:\n{process.Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Starts the host again whenever it stops by itself, as Azure's platform does with a Functions host: that host shuts
    /// itself down on purpose when a timer trigger's singleton lease cannot be renewed (a storage outage of more than a
    /// few seconds), and counts on the platform to start it again; <c>func start</c> does not. Until disposed.
    /// </summary>
    public IAsyncDisposable RestartWhenItStops(Action<string> note)
    {
        var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (await StillWatchingAsync(stop.Token))
            {
                if (process is { IsRunning: false } stopped)
                {
                    note($"the {Kind} host stopped by itself (exit code {stopped.ExitCode}); starting it again, as the platform would");
                    try
                    {
                        await StartProcessAsync();
                        note($"the {Kind} host started again");
                    }
                    catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                    {
                        note($"the {Kind} host did not start again ({e.Message.Split('\n')[0]}); trying once more");
                    }
                }
            }
        });
        return new Supervision(stop, watching);
    }

    /// <summary>Waits half a second; false once the watch is over.</summary>
    static async Task<bool> StillWatchingAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(500, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    sealed class Supervision(CancellationTokenSource stop, Task watching) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await watching;
            stop.Dispose();
        }
    }

    /// <summary>Changes a setting for the next start (after <see cref="Kill"/>); the running process keeps what it started with.</summary>
    public void SetForNextStart(string name, string? value) => Settings[name] = value;

    /// <summary>SIGKILL to the host and everything it started (the Functions host's worker too), like a crash or a power cut.</summary>
    public void Kill() => process?.Kill();

    /// <summary>SIGTERM; true if the host exited within the timeout.</summary>
    public Task<bool> TerminateAsync(TimeSpan timeout) => process?.TerminateAsync(timeout) ?? Task.FromResult(true);

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.TerminateAsync(TimeSpan.FromSeconds(5));
            process.Dispose();
        }

        Client.Dispose();
        try
        {
            if (ownsMailFolder)
            {
                Directory.Delete(MailFolderPath, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still being written as the host stopped; the temp folder is cleaned up by the system.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>How long a start may take before the test gives up: generous, a busy machine starts several hosts at once.</summary>
    protected virtual TimeSpan StartTimeout => TimeSpan.FromSeconds(90);

    /// <summary>The program that runs the host, its arguments and working folder.</summary>
    protected abstract (string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory) Command();

    /// <summary>A line of the host's output that means it will not start, found before the time-out (or null).</summary>
    protected virtual string? StartFailure(string output) => null;
}
