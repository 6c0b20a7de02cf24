using System.Net;
using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Security;

/// <summary>
/// One host on its own Azurite, with three rounds the malformed requests aim at: one collecting replies, one in
/// review (everyone agreed, so there is nothing to reopen), one final. Its own storage lets a test compare everything
/// stored before and after a request: nothing else writes to it.
/// </summary>
public abstract class BadInputFixture(HostKind kind) : IAsyncLifetime
{
    public AzuriteServer Storage { get; private set; } = null!;

    public HostProcess Host { get; private set; } = null!;

    public string Collecting { get; private set; } = "";

    public string Reviewing { get; private set; } = "";

    public string Final { get; private set; } = "";

    /// <summary>The reply token of a participant of the collecting round who has not replied.</summary>
    public string Token { get; private set; } = "";

    public string ReviewToken { get; private set; } = "";

    public string FinalToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // Where this kind of host cannot run, the tests skip themselves (saying why): start nothing.
        if (kind == HostKind.Functions && FunctionsHostRunner.Unavailable is not null)
        {
            return;
        }

        Storage = await AzuriteServer.StartAsync();
        Host = await HostProcess.StartAsync(kind, Storage);

        ConsoleSession = await SignInToTheConsoleAsync();
        Collecting = await Host.StartAsync(RoundRequests.Soia("education", "environment", "culture-youth-media"));
        Reviewing = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        Final = await Host.StartAsync(RoundRequests.Soia("education"));
        Token = TokenOf(await Host.MailFolder.WaitForAsync(Collecting, 3), "education");
        var reviewRequests = await Host.MailFolder.WaitForAsync(Reviewing, 2);
        ReviewToken = TokenOf(reviewRequests, "education");
        var finalRequests = await Host.MailFolder.WaitForAsync(Final, 1);
        FinalToken = TokenOf(finalRequests, "education");

        foreach (var link in reviewRequests.Concat(finalRequests).Select(m => m.ReplyLink))
        {
            using var reply = await RoundApi.ReplyJsonAsync(link, ("5.I", "Agree", null), ("12", "Agree", null));
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        await Host.WaitForPhaseAsync(Reviewing, "Reviewing");
        await Host.WaitForPhaseAsync(Final, "Reviewing");
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{Final}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await Host.WaitForPhaseAsync(Final, "Final");

        // Receipts and notices go out after the phases change: wait until storage and mail folder are still.
        var previous = await SnapshotAsync();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var current = await SnapshotAsync();
            if (current == previous)
            {
                break;
            }

            previous = current;
        }
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
            await Storage.DisposeAsync();
        }
    }

    static string TokenOf(IEnumerable<MailFolderMessage> messages, string participant)
    {
        var link = messages.Single(m => m.ParticipantId == participant).ReplyLink;
        return link[(link.LastIndexOf('/') + 1)..];
    }

    /// <summary>The placeholders of <see cref="MalformedRequest.Path"/> filled in.</summary>
    public string Resolve(string text)
    {
        var middle = Token.Length / 2;
        return text
            .Replace("{collecting}", Collecting, StringComparison.Ordinal)
            .Replace("{reviewing}", Reviewing, StringComparison.Ordinal)
            .Replace("{final}", Final, StringComparison.Ordinal)
            .Replace("{reviewToken}", ReviewToken, StringComparison.Ordinal)
            .Replace("{finalToken}", FinalToken, StringComparison.Ordinal)
            .Replace("{tampered}", Token[..middle] + (Token[middle] == 'A' ? 'B' : 'A') + Token[(middle + 1)..], StringComparison.Ordinal)
            .Replace("{truncated}", Token[..^1], StringComparison.Ordinal)
            .Replace("{extended}", Token + "A", StringComparison.Ordinal)
            .Replace("{token}", Token, StringComparison.Ordinal);
    }

    /// <summary>The development sign-in's session cookie (<c>name=value</c>) that the console's malformed requests carry.</summary>
    string ConsoleSession { get; set; } = "";

    /// <summary>
    /// Signs in to the console through the development sign-in, as a browser would: what the console's malformed requests
    /// test is their form, not the sign-in, so they come from a signed-in coordinator's page.
    /// </summary>
    async Task<string> SignInToTheConsoleAsync()
    {
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/console/sign-in")
        {
            Content = new FormUrlEncodedContent([new("email", "an.devos@vlaanderen.be"), new("name", "An Devos"), new("returnPath", "/api/console")]),
        };
        signIn.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Host.BaseUrl) };
        using var signedIn = await client.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        return signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    public async Task<RawResponse> SendAsync(MalformedRequest malformed)
    {
        if (malformed.Raw is not null)
        {
            var text = Resolve(Encoding.Latin1.GetString(malformed.Raw));
            if (Host is FunctionsHostProcess)
            {
                // The key, as the client would send it, after the request line: what is malformed is the rest.
                var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
                text = lineEnd < 0 ? text : $"{text[..lineEnd]}\r\nx-functions-key: {FunctionsHostProcess.FunctionKey}{text[lineEnd..]}";
            }

            var raw = Encoding.Latin1.GetBytes(text);
            return await RawHttp.SendAsync(IPAddress.Loopback, Host.Port, raw);
        }

        using var request = new HttpRequestMessage(new HttpMethod(malformed.Method), Resolve(malformed.Path));
        if (malformed.Path.StartsWith("/api/console/rounds", StringComparison.Ordinal))
        {
            request.Headers.Add("Cookie", ConsoleSession);
            request.Headers.Add("Sec-Fetch-Site", "same-origin");
        }

        if (malformed.Body is not null)
        {
            request.Content = new ByteArrayContent(malformed.Body);
            request.Content.Headers.ContentType = null;
            if (malformed.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", malformed.ContentType);
            }

            // Large bodies announce themselves first, as a well-behaved client does, so a refusal comes before the upload.
            request.Headers.ExpectContinue = malformed.Body.Length > 64 * 1024 && !malformed.Chunked;
            request.Headers.TransferEncodingChunked = malformed.Chunked;
        }

        using var response = await Host.Client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(", ", h.Value));
        return new RawResponse((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Everything stored: every row (with its ETag) of the workflow's tables and of the task hub's instance and history
    /// tables (an orchestration event raised by mistake would show there), the position blobs, and the mail folder.
    /// </summary>
    public async Task<string> SnapshotAsync()
    {
        var lines = new List<string>();
        foreach (var table in new[] { "Rounds", "RoundIndex", "ReplyTokens", "Directory", $"{Host.TaskHub}Instances", $"{Host.TaskHub}History" })
        {
            await foreach (var row in Storage.Tables.GetTableClient(table).QueryAsync<TableEntity>())
            {
                lines.Add($"{table}|{row.PartitionKey}|{row.RowKey}|{row.ETag}");
            }
        }

        await foreach (var blob in Storage.Blobs.GetBlobContainerClient("positions").GetBlobsAsync())
        {
            lines.Add($"positions|{blob.Name}|{blob.Properties.ETag}");
        }

        lines.AddRange(Host.MailFolder.Messages().Select(m => $"mail|{m.FileName}"));
        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }

    public sealed class OnLocalHost() : BadInputFixture(HostKind.Local);

    public sealed class OnFunctionsHost() : BadInputFixture(HostKind.Functions);
}
