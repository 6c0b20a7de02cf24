using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// A fresh Azurite, seeded with the synthetic policy areas, and a local host on it. Azurite answers a table query by
/// scanning the whole table (the DurableTask history and the Rounds table included), so figures that are compared
/// with each other start from stores of the same size: a fresh backend each.
/// </summary>
public sealed class Backend : IAsyncDisposable
{
    Backend(AzuriteServer storage, LocalHostProcess host, RoundDriver rounds)
    {
        Storage = storage;
        Host = host;
        Rounds = rounds;
    }

    public AzuriteServer Storage { get; }

    public LocalHostProcess Host { get; }

    public RoundDriver Rounds { get; }

    public static async Task<Backend> StartAsync(HttpClient http, int policyAreas)
    {
        var storage = await AzuriteServer.StartAsync();
        await BenchDirectory.SeedAsync(storage.Tables, policyAreas);
        var host = await LocalHostProcess.StartAsync(storage, new Dictionary<string, string?>
        {
            // Console logging of every e-mail and reply is not what is measured (the floor logs nothing either).
            ["AzureFunctionsJobHost__logging__logLevel__default"] = "Warning",
        });
        return new Backend(storage, host, new RoundDriver(host, http, storage));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Storage.DisposeAsync();
        DeleteOutbox(Host);
    }

    /// <summary>A large round leaves thousands of e-mail files behind: nothing the next run needs.</summary>
    public static void DeleteOutbox(LocalHostProcess host)
    {
        try
        {
            Directory.Delete(host.OutboxPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
