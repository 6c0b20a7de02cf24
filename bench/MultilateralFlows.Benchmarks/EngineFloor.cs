using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultilateralFlows.LocalHost;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Figure 1, the floor: a bare orchestration of the shape of a round (fan out one activity per participant that writes
/// one table row, wait for one external event per participant, write one blob), on the very same engine: the local
/// host's <see cref="DurableTaskSidecar"/> over DurableTask.AzureStorage on the same Azurite, with the settings of the
/// same host.json, and a Durable Task worker and client in this process. Only the task hub differs.
/// </summary>
public sealed class EngineFloor : IAsyncDisposable
{
    const string Orchestration = "EngineFloorRound";
    const string WriteRow = "EngineFloorWriteRow";
    const string WriteBlob = "EngineFloorWriteBlob";
    const string ReplyEvent = "Reply";

    readonly DurableTaskSidecar sidecar;
    readonly IHost worker;
    readonly TableClient rows;
    readonly BlobContainerClient blobs;

    EngineFloor(DurableTaskSidecar sidecar, IHost worker, TableClient rows, BlobContainerClient blobs)
    {
        this.sidecar = sidecar;
        this.worker = worker;
        this.rows = rows;
        this.blobs = blobs;
    }

    public string TaskHub => sidecar.TaskHub;

    DurableTaskClient Client => worker.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<EngineFloor> StartAsync(AzuriteServer storage, ILoggerFactory loggerFactory)
    {
        var taskHub = $"floor{Guid.NewGuid():N}"[..20];
        var configuration = LocalConfiguration.Build(
            [
                $"--host-json={Path.Combine(RepositoryPaths.Root, "host.json")}",
                "--settings=/nonexistent/local.settings.json",
                $"--AzureWebJobsStorage={storage.ConnectionString}",
                $"--{LocalConfiguration.HostJsonPrefix}:extensions:durableTask:hubName={taskHub}",
            ],
            RepositoryPaths.Root);
        var sidecar = await DurableTaskSidecar.StartAsync(
            configuration, new LocalHostOptions { WorkerId = $"bench-{taskHub}" }, loggerFactory, CancellationToken.None);

        var rows = storage.Tables.GetTableClient("EngineFloorRows");
        await rows.CreateIfNotExistsAsync();
        var blobs = storage.Blobs.GetBlobContainerClient("engine-floor");
        await blobs.CreateIfNotExistsAsync();
        var document = BinaryData.FromString(new string('x', 4096));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddDurableTaskWorker(w =>
        {
            w.UseGrpc(sidecar.Channel);
            w.AddTasks(registry =>
            {
                registry.AddOrchestratorFunc<int, int>(Orchestration, RunRoundShapeAsync);
                registry.AddActivityFunc<FloorRow, bool>(WriteRow, async (_, row) =>
                {
                    await rows.UpsertEntityAsync(new TableEntity(row.InstanceId, $"request|{row.Index:D4}")
                    {
                        ["Participant"] = $"participant-{row.Index:D4}",
                        ["Emails"] = $"participant-{row.Index:D4}@bench.example",
                        ["TokenHash"] = new string('0', 64),
                    });
                    return true;
                });
                registry.AddActivityFunc<string, bool>(WriteBlob, async (_, instanceId) =>
                {
                    await blobs.GetBlobClient($"{instanceId}/position.json").UploadAsync(document, overwrite: true);
                    return true;
                });
            });
        });
        builder.Services.AddDurableTaskClient(c =>
        {
            c.UseGrpc(sidecar.Channel);
            c.RegisterDirectly();
        });
        var host = builder.Build();
        await host.StartAsync();
        return new EngineFloor(sidecar, host, rows, blobs);
    }

    /// <summary>The shape of a round with nothing of MultilateralFlows in it.</summary>
    static async Task<int> RunRoundShapeAsync(TaskOrchestrationContext context, int participants)
    {
        await Task.WhenAll(Enumerable.Range(0, participants)
            .Select(i => context.CallActivityAsync<bool>(WriteRow, new FloorRow(context.InstanceId, i))));
        for (var i = 0; i < participants; i++)
        {
            await context.WaitForExternalEvent<int>(ReplyEvent);
        }

        await context.CallActivityAsync<bool>(WriteBlob, context.InstanceId);
        return participants;
    }

    public sealed record FloorRow(string InstanceId, int Index);

    /// <summary>One bare round, driven like a round: start, wait for every row, raise every event, wait for the blob.</summary>
    public async Task<RoundTiming> RunAsync(int participants, TimeSpan pollInterval)
    {
        var instanceId = $"floor-{Guid.NewGuid():N}";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Client.ScheduleNewOrchestrationInstanceAsync(Orchestration, participants, new StartOrchestrationOptions(instanceId));
        await Poll.UntilAsync(
            async () => await CountRowsAsync(instanceId) >= participants, pollInterval, TimeSpan.FromMinutes(10), $"floor {instanceId} rows");
        var sent = clock.Elapsed;

        await Task.WhenAll(Enumerable.Range(0, participants).Select(i => Client.RaiseEventAsync(instanceId, ReplyEvent, i)));
        var replied = clock.Elapsed;

        var blob = blobs.GetBlobClient($"{instanceId}/position.json");
        await Poll.UntilAsync(async () => (await blob.ExistsAsync()).Value, pollInterval, TimeSpan.FromMinutes(10), $"floor {instanceId} blob");
        return new RoundTiming(instanceId, sent, replied, clock.Elapsed);
    }

    async Task<int> CountRowsAsync(string instanceId)
    {
        var count = 0;
        await foreach (var _ in rows.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await worker.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        worker.Dispose();
        await sidecar.DisposeAsync();
    }
}

/// <summary>When a round (or a bare one) had its requests out, its replies in, and its position stored, from its start.</summary>
public sealed record RoundTiming(string Id, TimeSpan RequestsSent, TimeSpan RepliesPosted, TimeSpan PositionStored)
{
    public double TotalMs => PositionStored.TotalMilliseconds;

    public double LastReplyToPositionMs => (PositionStored - RepliesPosted).TotalMilliseconds;
}

public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan interval, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {timeout}.");
            }

            await Task.Delay(interval);
        }
    }
}
