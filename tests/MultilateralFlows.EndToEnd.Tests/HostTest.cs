using System.Text.Json;
using Azure.Data.Tables;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests;

/// <summary>
/// A test class that runs on one kind of host; each end-to-end test class is abstract and has one nested subclass per
/// host (<c>OnLocalHost</c>, <c>OnFunctionsHost</c>), so the same test code runs on both. By default the tests share one
/// host of their kind with the other test classes (<see cref="SharedHosts"/>: rounds have unique ids, so they do not
/// meet); a class whose tests need hosts of their own (other settings, or killing them) says so with
/// <see cref="UsesSharedHost"/> and starts them with <see cref="StartHostAsync"/>. Tests are <c>[SkippableFact]</c> and
/// <c>[SkippableTheory]</c>: where no Functions host can be found, the Functions-host variants are skipped, saying why.
/// </summary>
public abstract class HostTest(HostKind kind) : IAsyncLifetime
{
    readonly List<HostProcess> hosts = [];
    readonly List<AzuriteServer> ownStorage = [];

    protected HostKind Kind => kind;

    protected AzuriteServer Storage { get; private set; } = null!;

    /// <summary>The shared host of the test's kind (not set where <see cref="UsesSharedHost"/> is false).</summary>
    protected HostProcess Host { get; private set; } = null!;

    /// <summary>False for tests that start (and may kill) hosts of their own.</summary>
    protected virtual bool UsesSharedHost => true;

    public virtual async Task InitializeAsync()
    {
        SkipUnlessAvailable(kind);
        Storage = await SharedAzurite.GetAsync();
        if (UsesSharedHost)
        {
            Host = await SharedHosts.GetAsync(kind);
        }
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var storage in ownStorage)
        {
            await storage.DisposeAsync();
        }
    }

    /// <summary>The orchestration version new rounds start on: host.json's <c>extensions:durableTask:defaultVersion</c>.</summary>
    protected static string CurrentOrchestrationVersion { get; } = ReadCurrentOrchestrationVersion();

    /// <summary>The version the engine keeps for an orchestration (its row in the task hub's Instances table), on the shared host.</summary>
    protected async Task<string> OrchestrationVersionAsync(string instanceId) => (await EngineInstanceAsync(instanceId)).GetString("Version") ?? "";

    /// <summary>The engine's row of an orchestration in the shared host's task hub (status, version, current execution).</summary>
    protected async Task<TableEntity> EngineInstanceAsync(string instanceId) =>
        (await Storage.Tables.GetTableClient($"{Host.TaskHub}Instances").GetEntityAsync<TableEntity>(instanceId, "")).Value;

    static string ReadCurrentOrchestrationVersion()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        return hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("defaultVersion").GetString()!;
    }

    /// <summary>Skips the test where that kind of host cannot run here.</summary>
    public static void SkipUnlessAvailable(HostKind kind) =>
        Skip.If(kind == HostKind.Functions && FunctionsHostRunner.Unavailable is not null, FunctionsHostRunner.Unavailable);

    /// <summary>An Azurite of the test's own (in memory, or in a folder so it can be restarted), stopped when the test ends.</summary>
    protected async Task<AzuriteServer> StartOwnStorageAsync(string? folder = null)
    {
        var storage = await AzuriteServer.StartAsync(folder);
        ownStorage.Add(storage);
        return storage;
    }

    /// <summary>Starts a host of the test's own, of its kind, stopped when the test ends.</summary>
    protected async Task<HostProcess> StartHostAsync(IReadOnlyDictionary<string, string?>? settings = null, AzuriteServer? storage = null)
    {
        var host = await HostProcess.StartAsync(kind, storage ?? Storage, settings);
        hosts.Add(host);
        return host;
    }
}
