using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Email;

/// <summary>The Event Webhook handler on Azurite: signed events recorded once each and shown in the round status.</summary>
public sealed class EmailEventsApiTests : IAsyncLifetime
{
    static readonly string[] Areas = ["education", "environment"];
    readonly EventWebhookSigner signer = new();
    EmailWorld world = null!;
    RoundDefinition round = null!;

    public async Task InitializeAsync()
    {
        world = await EmailWorld.StartAsync(new Dictionary<string, string?> { ["SendGrid:WebhookPublicKey"] = signer.PublicKeyBase64 });
        round = await world.StartRoundAsync(Procedure.SOIA, Areas);
        await world.Get<SendEmails>().RunAsync(EmailBatch.Requests(round.Id, 1, Areas));
    }

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        signer.Dispose();
    }

    FakeSendGridCall RequestTo(string participant) => world.SendGrid.Calls.Single(c => c.Kind == "Request" && c.ParticipantId == participant);

    async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string body, bool sign = true, DateTimeOffset? at = null, EmailWorld? to = null)
    {
        var target = to ?? world;
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        if (sign)
        {
            var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            context.Request.Headers[EventWebhookSigner.SignatureHeader] = signer.Sign(timestamp, bytes);
            context.Request.Headers[EventWebhookSigner.TimestampHeader] = timestamp;
        }

        var result = await target.Get<EmailEventsApi>().ReceiveAsync(context.Request, CancellationToken.None);
        var (status, text) = await target.ExecuteAsync(result, context);
        return (status, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task ReceiveAsync_NoSignatureHeadersAndAChunkedBody_401BeforeAnyOfTheBodyIsRead()
    {
        var body = new ReadCountingStream();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = body;

        var result = await world.Get<EmailEventsApi>().ReceiveAsync(context.Request, CancellationToken.None);
        var (status, _) = await world.ExecuteAsync(result, context);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, body.Reads);
    }

    /// <summary>A body of 2 MiB of zeros, that counts how often it is read.</summary>
    sealed class ReadCountingStream() : MemoryStream(new byte[EmailEventsApi.MaxEventBytes])
    {
        public int Reads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, count);
        }
    }

    static string Batch(params JsonObject[] events) => new JsonArray(events.Select(e => (JsonNode)e).ToArray()).ToJsonString();

    [Fact]
    public async Task ReceiveAsync_DeliveredAndBounce_RecordedPerRequestAndShownInTheStatus()
    {
        var (status, body) = await PostAsync(Batch(
            EventWebhookSigner.Event(RequestTo("education"), "processed"),
            EventWebhookSigner.Event(RequestTo("education"), "delivered"),
            EventWebhookSigner.Event(RequestTo("environment"), "bounce", reason: "550 5.1.1 The email account does not exist.")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body!["recorded"]!.GetValue<int>());
        var education = await world.StatusOfAsync(round.Id, "education");
        Assert.Equal(DeliveryState.Delivered, education.Delivery);
        var environment = await world.StatusOfAsync(round.Id, "environment");
        Assert.Equal(DeliveryState.Bounced, environment.Delivery);
        Assert.Contains("550 5.1.1", environment.DeliveryDetail, StringComparison.Ordinal);
        Assert.Contains(EmailWorld.AddressOf("environment"), environment.DeliveryDetail, StringComparison.Ordinal);
        Assert.Equal(3, (await world.Get<SendLedgerStore>().GetEventsAsync(round.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ReceiveAsync_RequestBouncedForEveryAddress_CoordinatorToldOnceWhateverComesAgain()
    {
        var bounce = EventWebhookSigner.Event(RequestTo("environment"), "bounce", reason: "550 5.1.1 The email account does not exist.");

        await PostAsync(Batch(bounce));
        await PostAsync(Batch((JsonObject)bounce.DeepClone(), EventWebhookSigner.Event(RequestTo("environment"), "dropped", reason: "Bounced Address")));

        var notice = Assert.Single(world.SendGrid.Calls, c => c.Kind == nameof(MessageKind.CoordinatorNotice));
        Assert.Equal((nameof(NoticeKind.Undeliverable), "environment"), (notice.Notice, notice.ParticipantId));
        Assert.Equal([EmailWorld.Coordinator], notice.To);
        Assert.Contains("550 5.1.1", notice.PlainText, StringComparison.Ordinal);
        Assert.Contains(EmailWorld.AddressOf("environment"), notice.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_BouncedOnlyForAnAddressThatIsNotTheOneDelivered_NoNotice()
    {
        await PostAsync(Batch(
            EventWebhookSigner.Event(RequestTo("education"), "delivered"),
            EventWebhookSigner.Event(RequestTo("education"), "bounce", email: "old-address@vlaanderen.example", reason: "550 no such user")));

        Assert.DoesNotContain(world.SendGrid.Calls, c => c.Kind == nameof(MessageKind.CoordinatorNotice));
        Assert.Equal(DeliveryState.Delivered, (await world.StatusOfAsync(round.Id, "education")).Delivery);
    }

    [Fact]
    public async Task ReceiveAsync_CoordinatorCannotBeToldYet_503ThenToldOnceWhenSendGridSendsTheBatchAgain()
    {
        var batch = Batch(EventWebhookSigner.Event(RequestTo("environment"), "bounce", reason: "550 5.1.1 unknown"));
        world.SendGrid.Always(EmailWorld.Coordinator, FakeReply.ServerError());

        var refused = await PostAsync(batch);
        world.SendGrid.Heal(EmailWorld.Coordinator);
        var again = await PostAsync(batch);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(DeliveryState.Bounced, (await world.StatusOfAsync(round.Id, "environment")).Delivery);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(1, again.Body!["duplicates"]!.GetValue<int>());
        Assert.Single(world.SendGrid.AcceptedCalls, c => c.Kind == nameof(MessageKind.CoordinatorNotice));
    }

    [Fact]
    public async Task ReceiveAsync_SameEventsAgain_RecordedOnce()
    {
        var batch = Batch(
            EventWebhookSigner.Event(RequestTo("education"), "delivered", eventId: "ZGVsaXZlcmVk/LTAt#MjQ="),
            EventWebhookSigner.Event(RequestTo("environment"), "dropped", eventId: "ZHJvcHBlZC0wLTI0", reason: "Bounced Address"));

        var first = await PostAsync(batch);
        var second = await PostAsync(batch);

        Assert.Equal(2, first.Body!["recorded"]!.GetValue<int>());
        Assert.Equal(0, second.Body!["recorded"]!.GetValue<int>());
        Assert.Equal(2, second.Body!["duplicates"]!.GetValue<int>());
        Assert.Equal(2, (await world.Get<SendLedgerStore>().GetEventsAsync(round.Id, CancellationToken.None)).Count);
        Assert.Equal(DeliveryState.Dropped, (await world.StatusOfAsync(round.Id, "environment")).Delivery);
    }

    [Fact]
    public async Task ReceiveAsync_EventsOutOfOrder_DeliveredIsNotUndoneByALaterProcessed()
    {
        await PostAsync(Batch(EventWebhookSigner.Event(RequestTo("education"), "delivered")));
        await PostAsync(Batch(EventWebhookSigner.Event(RequestTo("education"), "processed"), EventWebhookSigner.Event(RequestTo("education"), "deferred", reason: "try later")));

        Assert.Equal(DeliveryState.Delivered, (await world.StatusOfAsync(round.Id, "education")).Delivery);
    }

    [Fact]
    public async Task ReceiveAsync_EventAboutAnOlderMessage_LeavesTheLatestOnTheStatus()
    {
        await world.Get<SendEmails>().RunAsync(new EmailBatch(round.Id, MessageKind.Reminder, 1, ["education"]));
        var reminder = world.SendGrid.Calls.Single(c => c.Kind == "Reminder");

        await PostAsync(Batch(EventWebhookSigner.Event(reminder, "bounce", reason: "mailbox full")));
        await PostAsync(Batch(EventWebhookSigner.Event(RequestTo("education"), "delivered")));

        Assert.Equal(DeliveryState.Bounced, (await world.StatusOfAsync(round.Id, "education")).Delivery);
        var requestRow = await world.LedgerRowAsync(EmailKey.ForParticipant(round.Id, "education", MessageKind.Request, 1));
        Assert.Equal(nameof(DeliveryState.Delivered), requestRow!.Delivery);
    }

    [Fact]
    public async Task ReceiveAsync_EventForAnUnconfirmedMessage_ConfirmsIt()
    {
        await using var hanging = await EmailWorld.StartAsync(new Dictionary<string, string?>(EmailWorld.ShortTimeout) { ["SendGrid:WebhookPublicKey"] = signer.PublicKeyBase64 });
        var other = await hanging.StartRoundAsync(Procedure.SOIA, "education");
        hanging.SendGrid.Script(EmailWorld.AddressOf("education"), FakeReply.Hang);
        await hanging.Get<SendEmails>().RunAsync(EmailBatch.Requests(other.Id, 1, ["education"]));
        Assert.Equal(DeliveryState.Unconfirmed, (await hanging.StatusOfAsync(other.Id, "education")).Delivery);
        var call = hanging.SendGrid.Calls.Single(c => c.Kind == "Request") with { MessageId = "sg-took-it-after-all" };

        await PostAsync(Batch(EventWebhookSigner.Event(call, "delivered")), to: hanging);

        Assert.Equal(DeliveryState.Delivered, (await hanging.StatusOfAsync(other.Id, "education")).Delivery);
        var row = await hanging.LedgerRowAsync(EmailKey.ForParticipant(other.Id, "education", MessageKind.Request, 1));
        Assert.Equal(SendState.Sent, row!.SendState);
        Assert.Equal("sg-took-it-after-all", row.ProviderMessageId);
    }

    [Fact]
    public async Task ReceiveAsync_OtherSendersAndOtherEventTypes_AcknowledgedAndIgnored()
    {
        var foreign = new JsonObject { ["email"] = "x@example.org", ["event"] = "delivered", ["sg_event_id"] = "abc", ["timestamp"] = 1 };
        var open = EventWebhookSigner.Event(RequestTo("education"), "open");
        var unknownRound = EventWebhookSigner.Event(RequestTo("education"), "delivered");
        unknownRound["roundId"] = RoundIds.New();
        var badKind = EventWebhookSigner.Event(RequestTo("education"), "delivered");
        badKind["kind"] = "Telegram";

        var (status, body) = await PostAsync(Batch(foreign, open, unknownRound, badKind));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body!["ignored"]!.GetValue<int>());
        Assert.Equal(0, body["recorded"]!.GetValue<int>());
        Assert.Equal(DeliveryState.Sent, (await world.StatusOfAsync(round.Id, "education")).Delivery);
    }

    [Fact]
    public async Task ReceiveAsync_Unsigned_Refused401AndNothingRecorded()
    {
        var (status, body) = await PostAsync(Batch(EventWebhookSigner.Event(RequestTo("education"), "delivered")), sign: false);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Signed events only", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await world.Get<SendLedgerStore>().GetEventsAsync(round.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ReceiveAsync_SignedLongAgo_Refused401()
    {
        var (status, body) = await PostAsync(Batch(EventWebhookSigner.Event(RequestTo("education"), "delivered")), at: DateTimeOffset.UtcNow.AddMinutes(-30));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("10 minutes", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(DeliveryState.Sent, (await world.StatusOfAsync(round.Id, "education")).Delivery);
    }

    [Fact]
    public async Task ReceiveAsync_SignedByAnotherKey_Refused401()
    {
        using var impostor = new EventWebhookSigner();
        var bytes = Encoding.UTF8.GetBytes(Batch(EventWebhookSigner.Event(RequestTo("education"), "delivered")));
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Request.Headers[EventWebhookSigner.SignatureHeader] = impostor.Sign(timestamp, bytes);
        context.Request.Headers[EventWebhookSigner.TimestampHeader] = timestamp;

        var (status, _) = await world.ExecuteAsync(await world.Get<EmailEventsApi>().ReceiveAsync(context.Request, CancellationToken.None), context);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("{\"event\":\"delivered\"}", "JSON array")]
    [InlineData("[{\"event\":\"delivered\"}, 42]", "Event 1 is not a JSON object")]
    [InlineData("[{\"event\":", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public async Task ReceiveAsync_SignedButMalformed_400ProblemDetails(string body, string detail)
    {
        var (status, problem) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(detail, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_TooLarge_413BeforeReading()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentLength = EmailEventsApi.MaxEventBytes + 1;
        context.Request.Body = new MemoryStream();

        var (status, _) = await world.ExecuteAsync(await world.Get<EmailEventsApi>().ReceiveAsync(context.Request, CancellationToken.None), context);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task ReceiveAsync_SignedButTooLargeWithoutContentLength_413()
    {
        var bytes = new byte[EmailEventsApi.MaxEventBytes + 10];
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.Headers[EventWebhookSigner.SignatureHeader] = signer.Sign(timestamp, bytes);
        context.Request.Headers[EventWebhookSigner.TimestampHeader] = timestamp;

        var (status, _) = await world.ExecuteAsync(await world.Get<EmailEventsApi>().ReceiveAsync(context.Request, CancellationToken.None), context);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task ReceiveAsync_NoKeyConfigured_503AndNothingAccepted()
    {
        await using var unconfigured = await EmailWorld.StartAsync();

        var (status, body) = await PostAsync(Batch(EventWebhookSigner.Event(RequestTo("education"), "delivered")), to: unconfigured);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("SendGrid__WebhookPublicKey", body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
