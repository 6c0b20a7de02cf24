using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Participants;

/// <summary>
/// The participant directory. The project ships it as data (participants.json); at first use each code that the
/// Directory table lacks is copied there, and from then on the table is what counts, so a focal point's address can
/// change without a deploy. Reads are cached for a minute.
/// </summary>
public sealed class ParticipantDirectory(WorkflowStorage storage, TimeProvider time)
{
    const string PartitionKey = "participant";

    // Declared before Shipped: static initialisers run in textual order.
    static readonly JsonSerializerOptions ShippedJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
    static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);

    readonly SemaphoreSlim loadLock = new(1, 1);
    IReadOnlyDictionary<string, Participant>? cache;
    DateTimeOffset cacheExpiry;
    bool seeded;

    public async Task<IReadOnlyDictionary<string, Participant>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var current = cache;
        if (current is not null && time.GetUtcNow() < cacheExpiry)
        {
            return current;
        }

        await loadLock.WaitAsync(cancellationToken);
        try
        {
            if (cache is not null && time.GetUtcNow() < cacheExpiry)
            {
                return cache;
            }

            await storage.EnsureCreatedAsync(cancellationToken);
            if (!seeded)
            {
                await SeedMissingAsync(cancellationToken);
                seeded = true;
            }

            var loaded = new Dictionary<string, Participant>(StringComparer.Ordinal);
            await foreach (var row in storage.Directory.QueryAsync<TableEntity>(
                e => e.PartitionKey == PartitionKey, cancellationToken: cancellationToken))
            {
                var participant = FromEntity(row);
                if (participant is not null)
                {
                    loaded[participant.Code] = participant;
                }
            }

            cache = loaded;
            cacheExpiry = time.GetUtcNow() + CacheLifetime;
            return loaded;
        }
        finally
        {
            loadLock.Release();
        }
    }

    public async Task<Participant?> FindAsync(string code, CancellationToken cancellationToken = default)
    {
        var all = await GetAllAsync(cancellationToken);
        return all.GetValueOrDefault(code);
    }

    /// <summary>The directory as shipped with this build.</summary>
    public static IReadOnlyList<Participant> Shipped { get; } = LoadShipped();

    async Task SeedMissingAsync(CancellationToken cancellationToken)
    {
        foreach (var participant in Shipped)
        {
            try
            {
                await storage.Directory.AddEntityAsync(ToEntity(participant), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Already there, possibly edited by an operator: the table wins.
            }
        }
    }

    static TableEntity ToEntity(Participant p) => new(PartitionKey, p.Code)
    {
        ["Name"] = p.Name,
        ["Level"] = p.Level.ToString(),
        ["Emails"] = string.Join(';', p.Emails),
        ["Language"] = p.Language,
    };

    static Participant? FromEntity(TableEntity row)
    {
        if (!Enum.TryParse<ParticipantLevel>(row.GetString("Level"), out var level))
        {
            return null;
        }

        var emails = (row.GetString("Emails") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var language = row.GetString("Language") ?? "en";
        return new Participant(
            row.RowKey, row.GetString("Name") ?? row.RowKey, level, emails, Languages.Supported.Contains(language) ? language : "en");
    }

    static IReadOnlyList<Participant> LoadShipped()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MultilateralFlows.Participants.participants.json")
            ?? throw new InvalidOperationException("The shipped participant directory is missing from the build.");
        var file = JsonSerializer.Deserialize<ShippedDirectory>(stream, ShippedJson)
            ?? throw new InvalidOperationException("The shipped participant directory is empty.");
        return file.Participants;
    }

    sealed record ShippedDirectory(IReadOnlyList<Participant> Participants);
}
