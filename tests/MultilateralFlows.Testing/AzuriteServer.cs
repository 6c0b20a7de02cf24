using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace MultilateralFlows.Testing;

/// <summary>
/// Azurite from the repository's node_modules, on free loopback ports. In memory by default; with a folder it persists
/// to disk and can be stopped and started again on the same ports (to test a storage restart).
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    const string Account = "devstoreaccount1";
    const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    readonly string? location;
    ChildProcess? process;

    AzuriteServer(string? location)
    {
        this.location = location;
        BlobPort = FreePorts.Next();
        QueuePort = FreePorts.Next();
        TablePort = FreePorts.Next();
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{Account};QueueEndpoint=http://127.0.0.1:{QueuePort}/{Account};TableEndpoint=http://127.0.0.1:{TablePort}/{Account};";

    public TableServiceClient Tables => new(ConnectionString);

    public BlobServiceClient Blobs => new(ConnectionString);

    public static async Task<AzuriteServer> StartAsync(string? persistentFolder = null)
    {
        var server = new AzuriteServer(persistentFolder);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Stops Azurite abruptly; with a folder, what it had written is still there for the next start.</summary>
    public void Kill()
    {
        process?.Dispose();
        process = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>
    /// Stops Azurite as a storage service goes down for a restart: SIGTERM, so it writes out what it has acknowledged.
    /// Not SIGKILL: Azurite keeps its tables and queues in memory and saves them to disk every 5 seconds, so a killed
    /// Azurite forgets writes it has already confirmed, which Azure Storage never does (a write is acknowledged once it
    /// is durable). No application can keep data its storage confirmed and then lost.
    /// </summary>
    public async Task StopAsync()
    {
        if (location is null)
        {
            throw new InvalidOperationException("An in-memory Azurite loses everything when it stops; start it with a folder to restart it.");
        }

        if (process is null)
        {
            return;
        }

        // Azurite has written out its data once each service says it closed; a request still in flight can keep the
        // process up after that, and then it is ended for good.
        var stopping = process.TerminateAsync(TimeSpan.FromSeconds(30));
        var until = DateTime.UtcNow.AddSeconds(30);
        while (process.IsRunning && Regex.Matches(process.Output, "service successfully closed").Count < 3)
        {
            if (DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"Azurite did not close within 30 s:\n{process.Output}");
            }

            await Task.Delay(100);
        }

        process.Kill();
        await stopping;
        process.Dispose();
        process = null;
    }

    /// <summary>Starts a stopped Azurite again on the same ports and folder.</summary>
    public Task StartAgainAsync() =>
        process is null ? StartProcessAsync() : throw new InvalidOperationException("Azurite is running.");

    async Task StartProcessAsync()
    {
        if (!File.Exists(RepositoryPaths.AzuriteBin))
        {
            throw new InvalidOperationException($"Azurite is not installed at {RepositoryPaths.AzuriteBin}; run 'npm ci' in the repository first.");
        }

        var arguments = new List<string>
        {
            RepositoryPaths.AzuriteBin,
            "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}",
            "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--silent",
            // Tests talk to this machine only: no usage telemetry to Microsoft (it also keeps a stop from waiting on it).
            "--disableTelemetry",
        };
        arguments.AddRange(location is null ? ["--inMemoryPersistence"] : ["--location", location]);

        process = ChildProcess.Start("node", arguments, new Dictionary<string, string?>(), RepositoryPaths.Root);
        try
        {
            foreach (var port in new[] { BlobPort, QueuePort, TablePort })
            {
                await FreePorts.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(90), () => process.IsRunning);
            }
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new InvalidOperationException($"Azurite did not listen on {BlobPort}, {QueuePort} and {TablePort} ({e.Message}):\n{process.Output}", e);
        }

        if (!process.IsRunning)
        {
            throw new InvalidOperationException($"Azurite did not start:\n{process.Output}");
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}

/// <summary>One Azurite for a whole test assembly: rounds have unique ids and tests unique task hubs, so they share it.</summary>
public static class SharedAzurite
{
    static readonly Lazy<Task<AzuriteServer>> Instance = new(async () =>
    {
        var server = await AzuriteServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
        return server;
    });

    public static Task<AzuriteServer> GetAsync() => Instance.Value;
}
