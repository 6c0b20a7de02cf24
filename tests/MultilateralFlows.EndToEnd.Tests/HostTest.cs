using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests;

/// <summary>
/// A test class that runs on one kind of host; each end-to-end test class is abstract and has one nested subclass per
/// host (<c>OnLocalHost</c>, <c>OnFunctionsHost</c>), so the same test code runs on both. Every test gets its own host
/// (own port, task hub and outbox) on the shared Azurite, started with <see cref="Settings"/>; a test that needs other
/// hosts starts them with <see cref="StartHostAsync"/>. Tests are <c>[SkippableFact]</c>/<c>[SkippableTheory]</c>: where no
/// Functions host can be found, the Functions-host variants are skipped, each saying why.
/// </summary>
public abstract class HostTest(HostKind kind) : IAsyncLifetime
{
    readonly List<HostProcess> hosts = [];
    readonly List<AzuriteServer> ownStorage = [];

    protected HostKind Kind => kind;

    protected AzuriteServer Storage { get; private set; } = null!;

    /// <summary>The test's host, started before the test.</summary>
    protected HostProcess Host { get; private set; } = null!;

    /// <summary>Extra settings for <see cref="Host"/>; null: start none before the test (it starts its own).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        SkipUnlessAvailable(kind);
        Storage = await SharedAzurite.GetAsync();
        if (Settings is { } settings)
        {
            Host = await StartHostAsync(settings);
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

    /// <summary>Starts another host of the test's kind, stopped when the test ends.</summary>
    protected async Task<HostProcess> StartHostAsync(IReadOnlyDictionary<string, string?>? settings = null, AzuriteServer? storage = null)
    {
        var host = await HostProcess.StartAsync(kind, storage ?? Storage, settings);
        hosts.Add(host);
        return host;
    }
}
