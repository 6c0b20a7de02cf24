using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using MultilateralFlows.Storage;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// The Durable Task engine of the local host: DurableTask.AzureStorage (the backend Durable Functions uses) behind the
/// Durable Task gRPC sidecar, listening on an ephemeral loopback port. The worker and client of the app connect to it
/// through <see cref="Channel"/>. Its settings come from host.json's <c>extensions:durableTask</c>, like in Azure.
/// </summary>
public sealed class DurableTaskSidecar : IAsyncDisposable
{
    readonly IHost host;

    DurableTaskSidecar(IHost host, GrpcChannel channel, string taskHub)
    {
        this.host = host;
        Channel = channel;
        TaskHub = taskHub;
    }

    public GrpcChannel Channel { get; }

    public string TaskHub { get; }

    public static async Task<DurableTaskSidecar> StartAsync(
        IConfiguration configuration, LocalHostOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var settings = CreateSettings(configuration, options, loggerFactory);
        var service = new AzureStorageOrchestrationService(settings);
        await WaitForStorageAsync(service, configuration, loggerFactory.CreateLogger<DurableTaskSidecar>(), cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, StoppedByOwnerLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DurableTaskSidecar(app, GrpcChannel.ForAddress(address), settings.TaskHubName);
    }

    /// <summary>
    /// The engine's settings from host.json, refused where the Durable Functions extension refuses them, so that a value
    /// the Functions host would not start with does not start here either.
    /// </summary>
    public static AzureStorageOrchestrationServiceSettings CreateSettings(
        IConfiguration configuration, LocalHostOptions options, ILoggerFactory loggerFactory)
    {
        var durableTask = configuration.GetSection($"{LocalConfiguration.HostJsonPrefix}:extensions:durableTask");
        var storage = durableTask.GetSection("storageProvider");
        var connectionString = configuration[StorageConnection.SettingName];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"The local host needs {StorageConnection.SettingName} as a connection string "
                + "(e.g. UseDevelopmentStorage=true for Azurite).");
        }

        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = durableTask["hubName"] ?? "MultilateralFlows",
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            WorkerId = options.WorkerId,
            PartitionCount = storage.GetValue("partitionCount", 4),
            // The default of 30 s suits a billed cloud queue, not a person waiting on a local round.
            MaxQueuePollingInterval = storage.GetValue("maxQueuePollingInterval", TimeSpan.FromSeconds(1)),
            // The sidecar does not renew locks: this must outlast the longest activity, and is how long a message
            // of a crashed process stays invisible before another attempt.
            WorkItemQueueVisibilityTimeout = storage.GetValue("workItemQueueVisibilityTimeout", TimeSpan.FromMinutes(5)),
            ControlQueueVisibilityTimeout = storage.GetValue("controlQueueVisibilityTimeout", TimeSpan.FromMinutes(5)),
            // How many control-queue messages a worker holds before it stops fetching for a second. The engine's own
            // default (64) is not the extension's (256): with it, a round with hundreds of replies waiting took them
            // in 64 a second, and the local host fell behind the Functions host.
            ControlQueueBufferThreshold = storage.GetValue("controlQueueBufferThreshold", 256),
            MaxConcurrentTaskActivityWorkItems = durableTask.GetValue("maxConcurrentActivityFunctions", 10),
            MaxConcurrentTaskOrchestrationWorkItems = durableTask.GetValue("maxConcurrentOrchestratorFunctions", 100),
            LoggerFactory = loggerFactory,
        };
        if (settings.PartitionCount is < 1 or > 16)
        {
            throw new InvalidOperationException("PartitionCount must be an integer value between 1 and 16.");
        }

        if (settings.ControlQueueVisibilityTimeout < TimeSpan.FromMinutes(1) || settings.ControlQueueVisibilityTimeout > TimeSpan.FromMinutes(60))
        {
            throw new InvalidOperationException("ControlQueueVisibilityTimeout must be between 1 and 60 minutes.");
        }

        if (settings.ControlQueueBufferThreshold is < 1 or > 1000)
        {
            throw new InvalidOperationException("ControlQueueBufferThreshold must be between 1 and 1000.");
        }

        if (settings.MaxQueuePollingInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("MaxQueuePollingInterval must be non-negative.");
        }

        return settings;
    }

    /// <summary>Azurite may still be starting: retry for a while, then say clearly what is missing.</summary>
    static async Task WaitForStorageAsync(
        AzureStorageOrchestrationService service, IConfiguration configuration, ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(configuration.GetValue("LocalHost:StorageWaitSeconds", 60));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await service.CreateIfNotExistsAsync();
                return;
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && e is not OperationCanceledException)
            {
                if (attempt == 1)
                {
                    logger.LogWarning("Waiting for storage ({StorageError}); is Azurite running?", e.GetBaseException().Message);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Bounded shutdown: whatever is still in flight is redelivered from storage on the next start.
        }

        host.Dispose();
    }

    /// <summary>The sidecar stops when the local host tells it to, not on its own Ctrl-C handler.</summary>
    sealed class StoppedByOwnerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
