using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Email;

/// <summary>
/// A host with the real SendGrid client pointed at the fake SendGrid: what a participant receives
/// and what the coordinator sees, through a refused address, delivery events and a host killed mid-send.
/// </summary>
public abstract class SendGridEndToEndTests(HostKind kind) : HostTest(kind)
{
    const string ApiKey = "SG.end-to-end-key";
    const string Coordinator = "coordinator@vlaanderen.example";
    const string Education = "soia.education@vlaanderen.example";
    const string Culture = "soia.culture-youth-media@vlaanderen.example";
    const string Economy = "soia.economy-science-innovation@vlaanderen.example";

    readonly EventWebhookSigner signer = new();
    FakeSendGridServer sendGrid = null!;

    /// <summary>Hosts of their own, each pointed at the fake SendGrid.</summary>
    protected override bool UsesSharedHost => false;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        sendGrid = await FakeSendGridServer.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (sendGrid is not null)
        {
            await sendGrid.DisposeAsync();
        }

        signer.Dispose();
    }

    Dictionary<string, string?> SendGridSettings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SendGrid__ApiKey"] = ApiKey,
            ["SendGrid__Host"] = sendGrid.Url,
            ["SendGrid__WebhookPublicKey"] = signer.PublicKeyBase64,
            ["SendGrid__RetryDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [SkippableFact]
    public async Task Round_OneAddressRefusedThenDeliveryEvents_RoundGoesOnTheStatusShowsEachDeliveryAndTheCoordinatorHearsOfEachUnreached()
    {
        var host = await StartHostAsync(SendGridSettings());
        sendGrid.Always(Culture, FakeReply.BadRequest("Does not contain a valid address."));

        var roundId = await host.StartAsync(RoundRequests.Soia("education", "culture-youth-media", "economy-science-innovation"));

        var notice = await sendGrid.WaitForCallAsync(c => c.RoundId == roundId && c.Notice == "Undeliverable");
        Assert.Equal([Coordinator], notice.To);
        Assert.Equal("culture-youth-media", notice.ParticipantId);
        var status = await WaitForStatusAsync(host, roundId, s => s["participants"]!.AsArray().All(p => p!["delivery"] is not null));
        var requests = sendGrid.AcceptedCalls.Where(c => c.RoundId == roundId && c.Kind == "Request").ToList();
        Assert.Equal(["economy-science-innovation", "education"], requests.Select(c => c.ParticipantId).Order());
        Assert.All(requests, c => Assert.Equal($"Bearer {ApiKey}", c.Authorization));
        Assert.Empty(host.MailFolder.Messages());

        Assert.Equal("Collecting", status["phase"]!.GetValue<string>());
        Assert.Equal("Undeliverable", Participant(status, "culture-youth-media")["delivery"]!.GetValue<string>());
        Assert.Contains("valid address", Participant(status, "culture-youth-media")["deliveryDetail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Sent", Participant(status, "education")["delivery"]!.GetValue<string>());

        // SendGrid reports back: delivered to one, bounced for the other. Sent twice, as SendGrid may.
        var events = new JsonArray(
            EventWebhookSigner.Event(requests.Single(c => c.ParticipantId == "education"), "delivered"),
            EventWebhookSigner.Event(requests.Single(c => c.ParticipantId == "economy-science-innovation"), "bounce", reason: "550 5.1.1 unknown user")).ToJsonString();
        foreach (var expectedRecorded in new[] { 2, 0 })
        {
            using var response = await host.Client.SendAsync(signer.SignedPost("/api/email/events", events));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expectedRecorded, (await response.Content.ReadFromJsonAsync<JsonObject>())!["recorded"]!.GetValue<int>());
        }

        using (var unsigned = await host.Client.PostAsync("/api/email/events", new StringContent(events, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        }

        status = await host.StatusAsync(roundId);
        Assert.Equal("Delivered", Participant(status, "education")["delivery"]!.GetValue<string>());
        Assert.Equal("Bounced", Participant(status, "economy-science-innovation")["delivery"]!.GetValue<string>());

        // The round goes on: the reachable participant replies through the link in the e-mail SendGrid took.
        var link = System.Text.RegularExpressions.Regex.Match(requests.Single(c => c.ParticipantId == "education").PlainText, @"https?://\S+/api/reply/[A-Za-z0-9_-]+").Value;
        using (var reply = await RoundApi.ReplyJsonAsync(link, ("5.I", "Agree", null), ("12", "Agree", null)))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        status = await host.StatusAsync(roundId);
        Assert.Equal("Replied", Participant(status, "education")["state"]!.GetValue<string>());
        // One notice per participant not reached: refused by SendGrid, or bounced for every address (the events came twice).
        Assert.Equal(
            ["culture-youth-media", "economy-science-innovation"],
            sendGrid.Calls.Where(c => c.RoundId == roundId && c.Notice == "Undeliverable").Select(c => c.ParticipantId).Order());
        Assert.Contains("550 5.1.1 unknown user", sendGrid.Calls.Single(c => c.Notice == "Undeliverable" && c.ParticipantId == "economy-science-innovation").PlainText, StringComparison.Ordinal);
        Assert.Single(sendGrid.CallsTo(Culture));
    }

    [SkippableFact]
    public async Task Host_KilledWhileSendGridHoldsARequest_AfterRestartNobodyGetsItTwiceAndTheCoordinatorIsTold()
    {
        // One attempt, a 6 s time-out: a claim is abandoned after 11 s. The activity message of the killed host comes
        // back after 15 s (instead of 5 min).
        var settings = SendGridSettings(
            ("SendGrid__RequestTimeout", "00:00:06"),
            ("SendGrid__MaxAttempts", "1"),
            ("SendGrid__MaxRetryDelay", "00:00:00"),
            ("AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout", "00:00:15"));
        var host = await StartHostAsync(settings);
        sendGrid.Script(Culture, FakeReply.Hang);

        var roundId = await host.StartAsync(RoundRequests.Soia("education", "culture-youth-media", "economy-science-innovation"));
        await sendGrid.WaitForCallAsync(c => c.RoundId == roundId && c.To.Contains(Culture));
        await WaitForLedgerStateAsync(roundId, "education", "Sent");
        await WaitForLedgerStateAsync(roundId, "economy-science-innovation", "Sent");

        // SendGrid has the request to culture-youth-media and has not answered: kill the host now, mid-call.
        host.Kill();
        Assert.Equal("Sending", await LedgerStateAsync(roundId, "culture-youth-media"));
        await host.StartProcessAsync();

        // A liveness wait, generous: the activity comes back after the visibility time-out, but a sidecar that gets it
        // before the restarted worker has connected abandons it, and each abandon delays it further.
        FakeSendGridCall notice;
        try
        {
            notice = await sendGrid.WaitForCallAsync(c => c.RoundId == roundId && c.Notice == "Unconfirmed", TimeSpan.FromSeconds(240));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nLedger row: {await LedgerStateAsync(roundId, "culture-youth-media")}\nHost after restart:\n{host.Output}", e);
        }

        Assert.Equal("culture-youth-media", notice.ParticipantId);
        Assert.Equal("Unconfirmed", await LedgerStateAsync(roundId, "culture-youth-media"));

        foreach (var address in new[] { Education, Culture, Economy })
        {
            Assert.Single(sendGrid.CallsTo(address), c => c.RoundId == roundId);
        }

        var status = await host.StatusAsync(roundId);
        Assert.Equal("Unconfirmed", Participant(status, "culture-youth-media")["delivery"]!.GetValue<string>());
        Assert.Equal("Sent", Participant(status, "education")["delivery"]!.GetValue<string>());
        Assert.All(status["participants"]!.AsArray(), p => Assert.Equal("Requested", p!["state"]!.GetValue<string>()));
        Assert.Single(sendGrid.Calls, c => c.RoundId == roundId && c.Notice is not null);
    }

    static async Task<JsonObject> WaitForStatusAsync(HostProcess host, string roundId, Func<JsonObject, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await host.StatusAsync(roundId);
            if (condition(status))
            {
                return status;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Round {roundId} did not reach the expected status: {status.ToJsonString()}\n{host.Output}");
            }

            await Task.Delay(100);
        }
    }

    static JsonNode Participant(JsonObject status, string code) =>
        status["participants"]!.AsArray().Single(p => p!["code"]!.GetValue<string>() == code)!;

    async Task<string?> LedgerStateAsync(string roundId, string participant)
    {
        var row = await Storage.Tables.GetTableClient("Rounds").GetEntityIfExistsAsync<TableEntity>(roundId, $"email|{participant}|Request|001");
        return row.HasValue ? row.Value!.GetString("State") : null;
    }

    async Task WaitForLedgerStateAsync(string roundId, string participant, string state)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (await LedgerStateAsync(roundId, participant) != state)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The request to {participant} did not become {state}.");
            }

            await Task.Delay(100);
        }
    }

    public sealed class OnLocalHost() : SendGridEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : SendGridEndToEndTests(HostKind.Functions);
}
