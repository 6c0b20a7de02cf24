using System.Net.Http.Json;

namespace MultilateralFlows.Testing;

/// <summary>
/// The local host as a real process, as `npm start` runs it: its own port, task hub and outbox folder, pointed at a
/// test's Azurite through environment variables. It can be killed (SIGKILL) and started again with the same settings.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    readonly Dictionary<string, string?> environment;
    readonly List<string> earlierOutput = [];
    ChildProcess? process;

    LocalHostProcess(AzuriteServer storage, string taskHub, IReadOnlyDictionary<string, string?>? extraSettings)
    {
        Port = FreePorts.Next();
        TaskHub = taskHub;
        OutboxPath = RepositoryPaths.NewTempFolder("outbox");
        BaseUrl = $"http://127.0.0.1:{Port}";
        environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub,
            ["LocalHost__Port"] = $"{Port}",
            ["LocalHost__WorkerId"] = $"test-{taskHub}",
            ["Links__PublicBaseUrl"] = BaseUrl,
            ["Links__SigningKey"] = "test-signing-key-of-at-least-32-characters",
            ["Outbox__Path"] = OutboxPath,
            ["SendGrid__ApiKey"] = "",
            ["SendGrid__FromEmail"] = "multilateralflows@tests.example",
            // Not the developer's local.settings.json: tests say everything they need.
            ["LOCAL_SETTINGS_PATH"] = "/nonexistent/local.settings.json",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Outbox = new Outbox(OutboxPath);
    }

    public int Port { get; }

    public string TaskHub { get; }

    public string BaseUrl { get; }

    public string OutboxPath { get; }

    public HttpClient Client { get; }

    public Outbox Outbox { get; }

    /// <summary>What the running host wrote to its console.</summary>
    public string Output => process?.Output ?? "";

    /// <summary>What every run of the host wrote, the killed ones included, oldest first.</summary>
    public string AllOutput => string.Concat(earlierOutput) + Output;

    /// <summary>How many times the host process has been started.</summary>
    public int Starts { get; private set; }

    public static async Task<LocalHostProcess> StartAsync(AzuriteServer storage, IReadOnlyDictionary<string, string?>? extraSettings = null, string? taskHub = null)
    {
        var host = new LocalHostProcess(storage, taskHub ?? NewTaskHubName(), extraSettings);
        await host.StartProcessAsync();
        return host;
    }

    /// <summary>Task hub names: letters and digits, starting with a letter, at most 45 characters.</summary>
    public static string NewTaskHubName() => $"t{Guid.NewGuid():N}"[..20];

    public async Task StartProcessAsync()
    {
        if (!File.Exists(RepositoryPaths.LocalHostDll))
        {
            throw new InvalidOperationException($"The local host is not built at {RepositoryPaths.LocalHostDll}.");
        }

        if (process is not null)
        {
            process.Kill();
            earlierOutput.Add($"{process.Output}--- local host run {Starts} ended ---\n");
            process.Dispose();
        }

        Starts++;
        process = ChildProcess.Start("dotnet", [RepositoryPaths.LocalHostDll], environment, RepositoryPaths.Root);
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (!process.IsRunning)
            {
                throw new InvalidOperationException($"The local host exited during start:\n{process.Output}");
            }

            try
            {
                var health = await Client.GetFromJsonAsync<Dictionary<string, string>>("/api/health");
                if (health?["status"] == "ok")
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The local host did not answer within 90 s:\n{process.Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Changes a setting for the next start (after <see cref="Kill"/>); the running process keeps what it started with.</summary>
    public void SetForNextStart(string name, string? value) => environment[name] = value;

    /// <summary>SIGKILL, like a crash or a power cut.</summary>
    public void Kill()
    {
        process?.Kill();
    }

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
            Directory.Delete(OutboxPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written as the host stopped; the temp folder is cleaned up by the system.
        }
    }
}
