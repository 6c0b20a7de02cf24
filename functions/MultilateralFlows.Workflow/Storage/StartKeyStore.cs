using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace MultilateralFlows.Storage;

/// <summary>What became of a round start's idempotency key.</summary>
public enum StartKeyOutcome
{
    /// <summary>The key is new (or its earlier claim was abandoned): start the round under <see cref="StartKeyClaim.RoundId"/>.</summary>
    Claimed,

    /// <summary>The same request started this round before: answer as then, start nothing.</summary>
    AlreadyStarted,

    /// <summary>
    /// The same request stored this round long ago but never said its workflow started (its process died in between):
    /// this request has taken the key over and starts the workflow of <see cref="StartKeyClaim.RoundId"/>.
    /// </summary>
    StoredNotStarted,

    /// <summary>The key was used for a different request.</summary>
    UsedForAnotherRequest,

    /// <summary>A request with this key is being handled right now.</summary>
    InProgress,
}

public sealed record StartKeyClaim(StartKeyOutcome Outcome, string RoundId);

/// <summary>
/// Idempotency keys of <c>POST /api/rounds</c>. A coordinator whose request timed out sends it again with the same key
/// and gets the round the first one started, instead of a second round that e-mails every participant again. A key
/// is claimed before the round is stored and marked started once its workflow is. Until then the first request is
/// taken to be still at work, and a retry is told to wait: two requests starting one workflow at once could leave the
/// engine with two starts of one instance. A claim not marked started is taken over after <see cref="AbandonedAfter"/>
/// (its process died): by a new round if none was stored, else by starting the stored round's workflow.
/// </summary>
public sealed class StartKeyStore(WorkflowStorage storage, RoundStore rounds, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 200;
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>Why a key cannot be used, or null: 1 to 200 visible ASCII characters.</summary>
    public static string? Check(string key) =>
        key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')
            ? $"An idempotency key is 1 to {MaxKeyLength} visible ASCII characters (a UUID, say)."
            : null;

    /// <summary>The fingerprint of a request, to tell a retry from another request under the same key.</summary>
    public static string Fingerprint(string body) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    public async Task<StartKeyClaim> ClaimAsync(string key, string fingerprint, string newRoundId, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var rowKey = RowKeyFor(key);
        // Bounded: each pass either claims, finds a claim, or lost a race to a claim that was just released.
        for (var attempt = 1; ; attempt++)
        {
            var claim = new StartKeyRow { RowKey = rowKey, RoundId = newRoundId, Fingerprint = fingerprint, ClaimedAt = time.GetUtcNow() };
            try
            {
                await storage.StartKeys.AddEntityAsync(claim, cancellationToken);
                return new StartKeyClaim(StartKeyOutcome.Claimed, newRoundId);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
            }

            var existing = await storage.StartKeys.GetEntityIfExistsAsync<StartKeyRow>(
            StartKeyRow.Partition, rowKey, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                if (attempt < 3)
                {
                    continue;
                }

                return new StartKeyClaim(StartKeyOutcome.InProgress, newRoundId);
            }

            var row = existing.Value!;
            if (!string.Equals(row.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return new StartKeyClaim(StartKeyOutcome.UsedForAnotherRequest, row.RoundId);
            }

            if (row.Started)
            {
                return new StartKeyClaim(StartKeyOutcome.AlreadyStarted, row.RoundId);
            }

            if (time.GetUtcNow() - row.ClaimedAt < AbandonedAfter)
            {
                return new StartKeyClaim(StartKeyOutcome.InProgress, row.RoundId);
            }

            // Claimed long ago and never started: this request takes the key over, unless another just did. The round the
            // first one stored is started; if it stored none, a new round is.
            var stored = await rounds.GetRowAsync(row.RoundId, cancellationToken) is not null;
            if (!stored)
            {
                row.RoundId = newRoundId;
            }

            row.ClaimedAt = time.GetUtcNow();
            try
            {
                await storage.StartKeys.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return new StartKeyClaim(stored ? StartKeyOutcome.StoredNotStarted : StartKeyOutcome.Claimed, row.RoundId);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return new StartKeyClaim(StartKeyOutcome.InProgress, newRoundId);
            }
        }
    }

    /// <summary>The round's workflow runs: from now on the key answers with the round.</summary>
    public async Task MarkStartedAsync(string key, string roundId, CancellationToken cancellationToken)
    {
        var row = new TableEntity(StartKeyRow.Partition, RowKeyFor(key)) { [nameof(StartKeyRow.Started)] = true };
        var existing = await storage.StartKeys.GetEntityIfExistsAsync<StartKeyRow>(
            StartKeyRow.Partition, row.RowKey, cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value!.RoundId == roundId)
        {
            try
            {
                await storage.StartKeys.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Taken over meanwhile (this start took over a minute): the request that took it marks it.
            }
        }
    }

    /// <summary>Frees the key of a start that failed and stored nothing usable, so that the same request can be sent again.</summary>
    public async Task ReleaseAsync(string key, string roundId, CancellationToken cancellationToken)
    {
        var existing = await storage.StartKeys.GetEntityIfExistsAsync<StartKeyRow>(
            StartKeyRow.Partition, RowKeyFor(key), cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value!.RoundId == roundId)
        {
            try
            {
                await storage.StartKeys.DeleteEntityAsync(existing.Value, existing.Value.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Gone already, or taken over: either way no longer this start's.
            }
        }
    }

    // Hashed: a key may hold characters a row key cannot (/, \, #, ?), and the table need not show what callers send.
    internal static string RowKeyFor(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>One claimed idempotency key of a round start.</summary>
public sealed class StartKeyRow : ITableEntity
{
    public const string Partition = "start";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string RoundId { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>The round's workflow was started.</summary>
    public bool Started { get; set; }
}
