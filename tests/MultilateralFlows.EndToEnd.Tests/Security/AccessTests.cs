using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Security;

/// <summary>
/// A host as it would be exposed, with a public base URL for links that is not the address it listens on, and a caller
/// the host must not trust with the coordinator routes without a key. The local host is bound to every address with a
/// coordinator key, so the untrusted caller comes from another address of this machine; the Functions host enforces
/// function keys whoever calls, so the untrusted caller is any caller without the key (Core Tools do not enforce keys
/// locally: there is no untrusted caller then).
/// </summary>
public abstract class ExposedHostFixture(HostKind kind) : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://consultations.example.test";
    const string LocalCoordinatorKey = "coordinator-key-for-the-access-tests";

    public HostProcess Host { get; private set; } = null!;

    public AzuriteServer Storage { get; private set; } = null!;

    /// <summary>The key that opens the coordinator routes to an untrusted caller.</summary>
    public string CoordinatorKey => kind == HostKind.Local ? LocalCoordinatorKey : FunctionsHostProcess.FunctionKey;

    /// <summary>A client the host must not trust (no key sent), or null where this machine cannot make one.</summary>
    public HttpClient? Untrusted { get; private set; }

    /// <summary>Why there is no <see cref="Untrusted"/> client here.</summary>
    public string NoUntrustedCaller => kind == HostKind.Local
        ? "This machine has no address but loopback: nothing to call from."
        : "Core Tools do not enforce function keys locally: every caller is trusted.";

    public async Task InitializeAsync()
    {
        if (kind == HostKind.Functions && FunctionsHostRunner.Unavailable is not null)
        {
            return;
        }

        Storage = await SharedAzurite.GetAsync();
        var settings = new Dictionary<string, string?> { ["Links__PublicBaseUrl"] = PublicBaseUrl };
        if (kind == HostKind.Local)
        {
            settings["LocalHost__BindAddress"] = "0.0.0.0";
            settings["LocalHost__CoordinatorKey"] = LocalCoordinatorKey;
        }

        Host = await HostProcess.StartAsync(kind, Storage, settings);
        Untrusted = kind switch
        {
            HostKind.Local when OwnAddress() is { } address => new HttpClient { BaseAddress = new Uri($"http://{address}:{Host.Port}") },
            HostKind.Functions when FunctionsHostRunner.EnforcesFunctionKeys => new HttpClient { BaseAddress = new Uri(Host.BaseUrl) },
            _ => null,
        };
    }

    public async Task DisposeAsync()
    {
        Untrusted?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>A link from an e-mail, pointed at this host: the token is what matters, the public address is not ours.</summary>
    public string Local(string link) => Host.BaseUrl + link[PublicBaseUrl.Length..];

    /// <summary>An address of this machine other than loopback, if it has one: calls from it are not local.</summary>
    static IPAddress? OwnAddress() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    public sealed class OnLocalHost() : ExposedHostFixture(HostKind.Local);

    public sealed class OnFunctionsHost() : ExposedHostFixture(HostKind.Functions);
}

/// <summary>
/// Who may act: coordinator routes only for a trusted caller (the local host: this machine) or with the key; reply
/// routes with a valid token and nothing else; links built from the configured public base URL whatever the request
/// says about its host.
/// </summary>
public abstract class AccessTests(HostKind kind, ExposedHostFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    HostProcess Host => fixture.Host;

    public Task InitializeAsync()
    {
        HostTest.SkipUnlessAvailable(kind);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every coordinator route, with a body that would do nothing harmful if the key check let it through.</summary>
    static readonly (string Method, string Path, string? Body)[] CoordinatorRoutes =
    [
        ("POST", "/api/rounds", "{}"),
        ("GET", "/api/rounds", null),
        ("GET", "/api/rounds/00000000000000000000000000000000", null),
        ("GET", "/api/rounds/00000000000000000000000000000000/position", null),
        ("GET", "/api/rounds/00000000000000000000000000000000/audit", null),
        ("POST", "/api/rounds/00000000000000000000000000000000/deadline", "{}"),
        ("POST", "/api/rounds/00000000000000000000000000000000/reminders", null),
        ("POST", "/api/rounds/00000000000000000000000000000000/review", "{}"),
        ("POST", "/api/rounds/00000000000000000000000000000000/cancel", null),
        ("POST", "/api/rounds/00000000000000000000000000000000/items/5.I/settlement", "{}"),
    ];

    [SkippableFact]
    public async Task CoordinatorRoutes_UntrustedCaller_RefusedWithoutTheKeyAndServedWithIt()
    {
        if (fixture.Untrusted is not { } remote)
        {
            // CoordinatorAccessFilterTests cover the local host's rule itself.
            output.WriteLine(fixture.NoUntrustedCaller);
            return;
        }

        foreach (var (method, path, body) in CoordinatorRoutes)
        {
            foreach (var (how, prepare) in new (string, Action<HttpRequestMessage>)[]
            {
                ("no key", _ => { }),
                ("a wrong key", r => r.Headers.Add("x-functions-key", fixture.CoordinatorKey + "x")),
                ("a key in another header", r => r.Headers.Add("Authorization", $"Bearer {fixture.CoordinatorKey}")),
                ("a claim to be local", r => { r.Headers.Add("X-Forwarded-For", "127.0.0.1"); r.Headers.Host = "127.0.0.1"; }),
            })
            {
                using var refused = await remote.SendAsync(Request(method, path, body, prepare));
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {how}: {(int)refused.StatusCode}");
                if (kind == HostKind.Local)
                {
                    Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                }
                else
                {
                    // The Functions host refuses before the app runs, without a body: a difference kept on purpose (README).
                    Assert.Empty(await refused.Content.ReadAsStringAsync());
                }
            }

            using var withHeader = await remote.SendAsync(Request(method, path, body, r => r.Headers.Add("x-functions-key", fixture.CoordinatorKey)));
            using var withQuery = await remote.SendAsync(Request(method, $"{path}?code={fixture.CoordinatorKey}", body, _ => { }));
            Assert.NotEqual(HttpStatusCode.Unauthorized, withHeader.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, withQuery.StatusCode);
            Assert.True((int)withHeader.StatusCode < 500, $"{method} {path} with the key: {(int)withHeader.StatusCode}");
        }
    }

    [SkippableFact]
    public async Task EveryAnswer_SuccessProblemOrRefusal_IsNeitherCachedSniffedNorFramed()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education"));
        await Host.MailFolder.WaitForAsync(roundId, 1);
        string[] paths =
        [
            "/api/health", "/api/rounds", $"/api/rounds/{roundId}", $"/api/rounds/{roundId}/audit",
            $"/api/rounds/{roundId}/position?format=html", "/api/rounds/00000000000000000000000000000000", "/api/no-such-route",
        ];
        var answers = new List<(string What, HttpResponseMessage Answer)>();
        foreach (var path in paths)
        {
            answers.Add(($"GET {path}", await Host.Client.GetAsync(path)));
        }

        answers.Add(("POST /api/rounds (invalid)", await Host.Client.PostAsync("/api/rounds", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))));
        if (kind == HostKind.Local && fixture.Untrusted is { } remote)
        {
            // The Functions host's own refusal is not the app's answer (README: differences kept on purpose).
            answers.Add(("GET /api/rounds without the key", await remote.GetAsync("/api/rounds")));
        }

        foreach (var (what, answer) in answers)
        {
            using (answer)
            {
                Assert.True((int)answer.StatusCode < 500, $"{what}: {(int)answer.StatusCode}");
                Assert.True(answer.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{what}: no nosniff");
                Assert.True(answer.Headers.CacheControl?.NoStore == true, $"{what}: cacheable");
                Assert.True(answer.Headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY", $"{what}: may be framed");
            }
        }
    }

    [SkippableFact]
    public async Task StartRound_UntrustedCallerWithoutTheKey_StartsNothing()
    {
        if (fixture.Untrusted is not { } remote)
        {
            output.WriteLine(fixture.NoUntrustedCaller);
            return;
        }

        var organisation = $"Refused {Guid.NewGuid():N}"[..30];
        using var refused = await remote.PostAsJsonAsync("/api/rounds", RoundRequests.Soia().With("organisation", organisation));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var listed = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds?organisation={Uri.EscapeDataString(organisation)}"))!;
        Assert.Empty(listed["rounds"]!.AsArray());
    }

    [SkippableFact]
    public async Task ReplyAndHealth_UntrustedCaller_NeedNoKey()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education"));
        var link = (await Host.MailFolder.WaitForAsync(roundId, 1)).Single().ReplyLink;
        using (var trusted = await Host.Client.GetAsync($"/api/rounds/{roundId}"))
        {
            Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        }

        if (fixture.Untrusted is not { } remote)
        {
            output.WriteLine(fixture.NoUntrustedCaller);
            return;
        }

        using (var health = await remote.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using (var openApi = await remote.GetAsync("/api/openapi.json"))
        {
            Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        }

        using (var form = await remote.GetAsync(link[ExposedHostFixture.PublicBaseUrl.Length..]))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        }
    }

    [SkippableFact]
    public async Task ReplyLinks_RequestsWithAForgedHost_StartWithTheConfiguredPublicBaseUrl()
    {
        const string forged = "evil.example";
        void Forge(HttpRequestMessage request)
        {
            request.Headers.Host = forged;
            request.Headers.Add("X-Forwarded-Host", forged);
            request.Headers.Add("X-Forwarded-Proto", "http");
            request.Headers.Add("Forwarded", $"host={forged};proto=http");
        }

        string roundId;
        using (var start = await Host.Client.SendAsync(Request("POST", "/api/rounds", RoundRequests.Soia("education", "environment").ToJsonString(), Forge)))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            Assert.DoesNotContain(forged, start.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
            roundId = JsonNode.Parse(await start.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        }

        var requests = await Host.MailFolder.WaitForAsync(roundId, 2);
        using (var remind = await Host.Client.SendAsync(Request("POST", $"/api/rounds/{roundId}/reminders", null, Forge)))
        {
            Assert.Equal(HttpStatusCode.Accepted, remind.StatusCode);
        }

        await Host.MailFolder.WaitForAsync(roundId, 2, "Reminder");
        foreach (var request in requests)
        {
            using var reply = await Host.Client.SendAsync(Request("POST", fixture.Local(request.ReplyLink)[Host.BaseUrl.Length..],
                """{"items":[{"itemId":"5.I","stance":"Agree"},{"itemId":"12","stance":"Agree"}]}""", Forge));
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        await Host.MailFolder.WaitForAsync(roundId, 1, "CoordinatorNotice");
        var messages = Host.MailFolder.Messages().Where(m => m.RoundId == roundId).ToList();
        Assert.Contains(messages, m => m.Kind == "Reminder");
        Assert.Contains(messages, m => m.Kind == "Receipt");
        foreach (var message in messages)
        {
            var links = Regex.Matches(message.PlainText + message.Html, @"https?://[^\s""<>]+").Select(m => m.Value).ToList();
            Assert.NotEmpty(links);
            Assert.All(links, l => Assert.StartsWith($"{ExposedHostFixture.PublicBaseUrl}/api/", l, StringComparison.Ordinal));
            Assert.DoesNotContain(forged, message.Payload.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task ReplyForm_Get_ChangesNothingAndNeverLeaksTheLink()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        var link = fixture.Local((await Host.MailFolder.WaitForAsync(roundId, 2)).Single(m => m.ParticipantId == "education").ReplyLink);
        var token = link[(link.LastIndexOf('/') + 1)..];
        using var client = new HttpClient();
        var before = await SettledSnapshotAsync(roundId);

        foreach (var url in new[] { link, link, link, $"{Host.BaseUrl}/api/reply/{token[..^1]}" })
        {
            using var page = await client.GetAsync(url);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
            Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(roundId));

        // The answers to a reply carry the same headers: JSON, form and refusal alike.
        using (var json = await RoundApi.ReplyJsonAsync(link, ("5.I", "Agree", null), ("12", "Agree", null)))
        using (var form = await RoundApi.ReplyFormAsync(link, ("5.I", "Agree", null), ("12", "Agree", null)))
        using (var refused = await RoundApi.ReplyJsonAsync(link, ("5.I", "Maybe", null)))
        {
            Assert.All(new[] { json, form, refused }, r =>
            {
                Assert.Equal("no-referrer", r.Headers.GetValues("Referrer-Policy").Single());
                Assert.Equal("no-store", r.Headers.CacheControl?.ToString());
            });
        }
    }

    [SkippableFact]
    public async Task ReplyToken_TamperedTruncatedExtendedOrInvented_SameAnswerWhateverIsWrong()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education"));
        var token = (await Host.MailFolder.WaitForAsync(roundId, 1)).Single().ReplyLink.Split('/')[^1];
        var middle = token.Length / 2;
        string[] wrong =
        [
            token[..middle] + (token[middle] == 'x' ? 'y' : 'x') + token[(middle + 1)..],
            token[..^1],
            token + "A",
            token.ToUpperInvariant() == token ? token.ToLowerInvariant() : token.ToUpperInvariant(),
            new string('A', token.Length),
            Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        ];

        using var client = new HttpClient();
        var pages = new List<string>();
        var problems = new List<string>();
        foreach (var candidate in wrong)
        {
            using var page = await client.GetAsync($"{Host.BaseUrl}/api/reply/{candidate}");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            pages.Add(await page.Content.ReadAsStringAsync());

            using var post = await RoundApi.ReplyJsonAsync($"{Host.BaseUrl}/api/reply/{candidate}", ("5.I", "Agree", null), ("12", "Agree", null));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
            problems.Add(Regex.Replace(await post.Content.ReadAsStringAsync(), "\"traceId\":\"[^\"]*\"", ""));
        }

        Assert.Single(pages.Distinct());
        Assert.Single(problems.Distinct());
        Assert.Empty(await ContributionsAsync(roundId));
    }

    static HttpRequestMessage Request(string method, string path, string? body, Action<HttpRequestMessage> prepare)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        prepare(request);
        return request;
    }

    /// <summary>
    /// The snapshot once the round has settled: the requests are out, but the round still records that and sets its
    /// timers. Taken again until two in a row agree, so what the test compares later is only what it did itself.
    /// </summary>
    async Task<string> SettledSnapshotAsync(string roundId)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        var previous = await SnapshotAsync(roundId);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var current = await SnapshotAsync(roundId);
            if (current == previous || DateTime.UtcNow > until)
            {
                return current;
            }

            previous = current;
        }
    }

    /// <summary>The round's rows with their ETags, its token index rows, its e-mails, and its orchestration history.</summary>
    async Task<string> SnapshotAsync(string roundId)
    {
        var lines = new List<string>();
        await foreach (var row in fixture.Storage.Tables.GetTableClient("Rounds").QueryAsync<TableEntity>(e => e.PartitionKey == roundId))
        {
            lines.Add($"{row.RowKey}|{row.ETag}");
        }

        await foreach (var row in fixture.Storage.Tables.GetTableClient("ReplyTokens").QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RoundId eq {roundId}")))
        {
            lines.Add($"token|{row.PartitionKey}|{row.ETag}");
        }

        await foreach (var row in fixture.Storage.Tables.GetTableClient($"{Host.TaskHub}History").QueryAsync<TableEntity>(e => e.PartitionKey == roundId))
        {
            lines.Add($"history|{row.RowKey}|{row.ETag}");
        }

        lines.AddRange(Host.MailFolder.Messages().Where(m => m.RoundId == roundId).Select(m => m.FileName));
        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }

    async Task<List<string>> ContributionsAsync(string roundId)
    {
        var rows = new List<string>();
        await foreach (var row in fixture.Storage.Tables.GetTableClient("Rounds").QueryAsync<TableEntity>(e => e.PartitionKey == roundId))
        {
            if (row.RowKey.StartsWith("contribution|", StringComparison.Ordinal))
            {
                rows.Add(row.RowKey);
            }
        }

        return rows;
    }

    public sealed class OnLocalHost(ExposedHostFixture.OnLocalHost fixture, ITestOutputHelper output)
        : AccessTests(HostKind.Local, fixture, output), IClassFixture<ExposedHostFixture.OnLocalHost>;

    public sealed class OnFunctionsHost(ExposedHostFixture.OnFunctionsHost fixture, ITestOutputHelper output)
        : AccessTests(HostKind.Functions, fixture, output), IClassFixture<ExposedHostFixture.OnFunctionsHost>;
}
