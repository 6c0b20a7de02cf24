using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace MultilateralFlows.Storage;

/// <summary>
/// The tables and blob container MultilateralFlows keeps its state in. Everything about one round lives in one
/// partition of <see cref="Rounds"/> (the round, its items, a request per participant, every contribution version,
/// the e-mails sent and the audit trail), so the writes that must be atomic fit in one table transaction.
/// </summary>
public sealed class WorkflowStorage
{
    public const string RoundsTable = "Rounds";
    public const string RoundIndexTable = "RoundIndex";
    public const string ReplyTokensTable = "ReplyTokens";
    public const string DirectoryTable = "Directory";
    public const string StartKeysTable = "StartKeys";
    public const string PositionsContainer = "positions";

    readonly SemaphoreSlim createLock = new(1, 1);
    volatile bool created;

    public WorkflowStorage(TableServiceClient tables, BlobServiceClient blobs)
    {
        Rounds = tables.GetTableClient(RoundsTable);
        RoundIndex = tables.GetTableClient(RoundIndexTable);
        ReplyTokens = tables.GetTableClient(ReplyTokensTable);
        Directory = tables.GetTableClient(DirectoryTable);
        StartKeys = tables.GetTableClient(StartKeysTable);
        Positions = blobs.GetBlobContainerClient(PositionsContainer);
    }

    public TableClient Rounds { get; }

    public TableClient RoundIndex { get; }

    public TableClient ReplyTokens { get; }

    public TableClient Directory { get; }

    /// <summary>The idempotency keys of round starts: which round a retried <c>POST /api/rounds</c> already started.</summary>
    public TableClient StartKeys { get; }

    public BlobContainerClient Positions { get; }

    /// <summary>Creates the tables and the container once per process; safe to call before every use.</summary>
    public async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (created)
        {
            return;
        }

        await createLock.WaitAsync(cancellationToken);
        try
        {
            if (created)
            {
                return;
            }

            foreach (var table in new[] { Rounds, RoundIndex, ReplyTokens, Directory, StartKeys })
            {
                await IgnoreConflict(() => table.CreateIfNotExistsAsync(cancellationToken));
            }

            await IgnoreConflict(() => Positions.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
            created = true;
        }
        finally
        {
            createLock.Release();
        }
    }

    // Two processes creating the same table at once: the loser sees 409, which means it exists.
    static async Task IgnoreConflict(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }
}
