using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests;

/// <summary>A test class with its own local host (own port, task hub and outbox) on the shared Azurite.</summary>
public abstract class LocalHostTest : IAsyncLifetime
{
    protected AzuriteServer Storage { get; private set; } = null!;

    protected LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Storage = await SharedAzurite.GetAsync();
        Host = await LocalHostProcess.StartAsync(Storage);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
