using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// A fresh Azurite, seeded with the synthetic policy areas, and one or more hosts on it (the local host, the Functions
/// app on the Azure Functions host), each with its own task hub and mail folder. Azurite answers a table query by scanning
/// the whole table (the DurableTask history and the Rounds table included), so figures that are compared with each
/// other start from stores of the same size: a fresh backend each.
/// </summary>
public sealed class Backend : IAsyncDisposable
{
    readonly IReadOnlyList<HostWatch> watches;

    Backend(AzuriteServer storage, IReadOnlyList<RoundDriver> hosts)
    {
        Storage = storage;
        Hosts = hosts;
        watches = [.. hosts.Select(rounds => new HostWatch(rounds.Host))];
    }

    public AzuriteServer Storage { get; }

    /// <summary>A round driver for each host, in the order they were asked for.</summary>
    public IReadOnlyList<RoundDriver> Hosts { get; }

    /// <summary>The round driver of the one host of that kind.</summary>
    public RoundDriver Rounds(HostKind kind) => Hosts.Single(rounds => rounds.Host.Kind == kind);

    /// <summary>A backend with the local host only.</summary>
    public static Task<Backend> StartAsync(HttpClient http, int policyAreas) => StartAsync(http, policyAreas, [HostKind.Local]);

    public static async Task<Backend> StartAsync(HttpClient http, int policyAreas, IReadOnlyList<HostKind> kinds)
    {
        var storage = await AzuriteServer.StartAsync();
        var starting = new List<Task<HostProcess>>();
        try
        {
            await BenchDirectory.SeedAsync(storage.Tables, policyAreas);
            // Together: the Functions host takes several times as long as the local host to start.
            starting.AddRange(kinds.Select(kind => HostProcess.StartAsync(kind, storage, HostSettings())));
            var hosts = await Task.WhenAll(starting);
            return new Backend(storage, [.. hosts.Select(host => new RoundDriver(host, http, storage))]);
        }
        catch
        {
            foreach (var started in starting.Where(task => task.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            await storage.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Logging at Warning on both hosts (and the amendment bound lifted, below): console logging of every e-mail and
    /// reply is not what is measured (the floor logs nothing either). The first setting is host.json's
    /// <c>logging:logLevel:default</c>, which the local host and the Azure Functions host apply to themselves; the second
    /// is the Functions app's worker's own level, without which the worker sends every Information line over gRPC for the
    /// host to drop.
    /// </summary>
    public static Dictionary<string, string?> HostSettings(string? storageConnection = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost__logging__logLevel__default"] = "Warning",
            ["Logging__LogLevel__Default"] = "Warning",
            // Figure 4 posts amendments through a few links for as long as it runs: far more versions per participant
            // than a round takes in use (50), and the endpoint is what is measured, not that bound.
            ["Rounds__MaxVersionsPerParticipant"] = "1000000",
        };
        if (storageConnection is not null)
        {
            settings["AzureWebJobsStorage"] = storageConnection;
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        // The watches first: a host being stopped refuses connections.
        foreach (var watch in watches)
        {
            await watch.DisposeAsync();
        }

        foreach (var rounds in Hosts)
        {
            await rounds.Host.DisposeAsync();
        }

        await Storage.DisposeAsync();
        foreach (var rounds in Hosts)
        {
            DeleteMailFolder(rounds.Host);
        }
    }

    /// <summary>A large round leaves thousands of e-mail files behind: nothing the next run needs.</summary>
    public static void DeleteMailFolder(HostProcess host)
    {
        try
        {
            Directory.Delete(host.MailFolderPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
