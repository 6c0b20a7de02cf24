using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Hosting;
using MultilateralFlows.Http;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Email;

/// <summary>
/// The workflow's real services (as both hosts register them) on the shared Azurite, with the real SendGrid client
/// pointed at a fresh fake SendGrid. Retry waits and time-outs are short, so the tests stay fast.
/// </summary>
public sealed class EmailWorld : IAsyncDisposable
{
    public const string ApiKey = "SG.test-api-key";
    public const string Coordinator = "coordinator@vlaanderen.example";

    EmailWorld(FakeSendGridServer sendGrid, ServiceProvider services, AzuriteServer storage)
    {
        SendGrid = sendGrid;
        Services = services;
        Storage = storage;
    }

    /// <summary>For tests where the fake does not answer: the sender gives up after this.</summary>
    public static IReadOnlyDictionary<string, string?> ShortTimeout { get; } = new Dictionary<string, string?> { ["SendGrid:RequestTimeout"] = "00:00:03" };

    public FakeSendGridServer SendGrid { get; }

    public ServiceProvider Services { get; }

    public AzuriteServer Storage { get; }

    public static async Task<EmailWorld> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var sendGrid = await FakeSendGridServer.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["SendGrid:ApiKey"] = ApiKey,
            ["SendGrid:Host"] = sendGrid.Url,
            // Generous, so a slow first call on a busy machine is not taken for a time-out; tests of time-outs use ShortTimeout.
            ["SendGrid:RequestTimeout"] = "00:00:10",
            ["SendGrid:MaxAttempts"] = "3",
            ["SendGrid:RetryDelay"] = "00:00:00.010",
            ["SendGrid:MaxRetryDelay"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var (services, storage) = await RealServices.StartAsync(values, time);
        return new EmailWorld(sendGrid, services, storage);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Stores a round and opens it (a request row per participant, as the OpenRound activity makes them).</summary>
    public async Task<RoundDefinition> StartRoundAsync(Procedure procedure, params string[] participants)
    {
        var id = RoundIds.New();
        var round = new RoundDefinition(
            id,
            procedure,
            "UNESCO Executive Board <221st> session & co",
            "UNESCO",
            MeetingKind.BoardMeeting,
            [new AgendaItem("5.I", "Draft programme and budget", "Zero real growth."), new AgendaItem("12", "Ethics of <neurotechnology>", "Adopt.")],
            participants,
            [],
            new DateTimeOffset(2030, 12, 15, 16, 0, 0, TimeSpan.Zero),
            SilenceProcedure: false,
            Coordinator,
            DateTimeOffset.UtcNow);
        await Get<RoundStore>().CreateAsync(round, "test", CancellationToken.None);
        await Get<OpenRound>().RunAsync(new RoundInput(id));
        return round;
    }

    public static string AddressOf(string participant) => ParticipantAddresses[participant];

    /// <summary>The shipped directory's first address per participant code.</summary>
    public static IReadOnlyDictionary<string, string> ParticipantAddresses { get; } =
        MultilateralFlows.Participants.ParticipantDirectory.Shipped.ToDictionary(p => p.Code, p => p.Emails[0], StringComparer.Ordinal);

    public async Task<RequestRow> RequestAsync(string roundId, string participant) =>
        (await Get<RequestStore>().GetAsync(roundId, participant, CancellationToken.None))!;

    /// <summary>A participant as <c>GET /api/rounds/{id}</c> shows it.</summary>
    public async Task<ParticipantStatus> StatusOfAsync(string roundId, string participant)
    {
        var context = new DefaultHttpContext();
        var (status, body) = await ExecuteAsync(await Get<RoundsApi>().GetRoundAsync(roundId, CancellationToken.None), context);
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = JsonNode.Parse(body)!["participants"]!.AsArray().Single(p => p!["code"]!.GetValue<string>() == participant)!;
        return entry.Deserialize<ParticipantStatus>(WorkflowJson.Options)!;
    }

    public Task<EmailRow?> LedgerRowAsync(EmailKey key) => Get<SendLedgerStore>().GetAsync(key, CancellationToken.None);

    public async Task<IReadOnlyList<TableEntity>> RowsAsync(string roundId, string prefix)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Storage.Tables.GetTableClient(WorkflowStorage.RoundsTable).QueryAsync<TableEntity>(e => e.PartitionKey == roundId))
        {
            if (row.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>Runs an HTTP handler's result against a request context and returns the status and body written.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ExecuteAsync(IResult result, HttpContext context)
    {
        var (status, body, _) = await RealServices.ExecuteAsync(Services, result, context);
        return ((HttpStatusCode)status, body);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await SendGrid.DisposeAsync();
    }
}

/// <summary>A clock that says what the test wants.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
