using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Email;

/// <summary>The DistributeFinalPosition activity as either host runs it, run again as Durable Task would retry it.</summary>
public sealed class DistributeFinalPositionTests : IAsyncLifetime
{
    static readonly string[] Entities = ["federal", "wallonia", "german-community"];
    static readonly RepresentationAddress[] Representation =
    [
        new("permrep.eu@diplobel.fed.be", "fr", "Représentation permanente auprès de l'UE"),
        new("coreper@diplobel.fed.be", "nl"),
    ];

    readonly EventWebhookSigner signer = new();
    EmailWorld world = null!;

    public async Task InitializeAsync() =>
        world = await EmailWorld.StartAsync(new Dictionary<string, string?> { ["SendGrid:WebhookPublicKey"] = signer.PublicKeyBase64 });

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        signer.Dispose();
    }

    DistributeFinalPosition Activity => world.Get<DistributeFinalPosition>();

    IReadOnlyList<FakeSendGridCall> FinalPositionCalls(string roundId) =>
        world.SendGrid.Calls.Where(c => c.RoundId == roundId && c.Kind == nameof(MessageKind.FinalPosition)).ToList();

    /// <summary>A COORMULTI round naming the permanent representation, opened, with its final position stored as version 1.</summary>
    async Task<RoundDefinition> ApprovedRoundAsync()
    {
        var round = new RoundDefinition(
            RoundIds.New(),
            Procedure.COORMULTI,
            "Council of the EU <FAC> & co",
            "EU",
            MeetingKind.BoardMeeting,
            [new AgendaItem("1", "Sanctions", "Extend.")],
            Entities,
            [],
            new DateTimeOffset(2030, 12, 15, 16, 0, 0, TimeSpan.Zero),
            SilenceProcedure: false,
            EmailWorld.Coordinator,
            DateTimeOffset.UtcNow,
            PermanentRepresentation: Representation);
        await world.Get<RoundStore>().CreateAsync(round, "test", CancellationToken.None);
        await world.Get<OpenRound>().RunAsync(new RoundInput(round.Id));
        await world.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1, Final: true));
        return round;
    }

    [Fact]
    public async Task RunAsync_RunTwice_EveryParticipantAndRepresentationAddressGetsItOnceInItsLanguage()
    {
        var round = await ApprovedRoundAsync();

        var sent = await Activity.RunAsync(new FinalPositionDistribution(round.Id, 1));
        var sentAgain = await Activity.RunAsync(new FinalPositionDistribution(round.Id, 1));

        Assert.Equal(5, sent);
        Assert.Equal(0, sentAgain);
        var calls = FinalPositionCalls(round.Id);
        Assert.Equal(5, calls.Count);
        Assert.Equal(
            Entities.Select(EmailWorld.AddressOf).Append("coreper@diplobel.fed.be").Append("permrep.eu@diplobel.fed.be").Order(StringComparer.Ordinal),
            calls.SelectMany(c => c.To).Order(StringComparer.Ordinal));
        Assert.StartsWith("Position COORMULTI définitive", calls.Single(c => c.To.Contains("permrep.eu@diplobel.fed.be")).Subject, StringComparison.Ordinal);
        Assert.StartsWith("COORMULTI-standpunt definitief", calls.Single(c => c.To.Contains("coreper@diplobel.fed.be")).Subject, StringComparison.Ordinal);
        Assert.StartsWith("COORMULTI-Standpunkt endgültig", calls.Single(c => c.ParticipantId == "german-community").Subject, StringComparison.Ordinal);
        Assert.Equal(["permanent-representation-1", "permanent-representation-2"], calls.Select(c => c.ParticipantId).Where(p => p.StartsWith("permanent", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task RunAsync_EachEmail_CarriesTheWholeHtmlPositionAndRepliesGoToTheCoordinator()
    {
        var round = await ApprovedRoundAsync();

        await Activity.RunAsync(new FinalPositionDistribution(round.Id, 1));

        var call = FinalPositionCalls(round.Id).First(c => c.ParticipantId == "federal");
        var attachment = call.Payload["attachments"]!.AsArray().Single()!;
        // In the recipient's language: the federal level reads French in the test directory.
        Assert.Equal($"position-{round.Id}-v1.fr.html", attachment["filename"]!.GetValue<string>());
        Assert.StartsWith("text/html", attachment["type"]!.GetValue<string>(), StringComparison.Ordinal);
        var stored = await world.Get<PositionStore>().ReadInLanguageAsync(
            round.Id, 1, PositionFormat.Html, PositionTexts.For("fr"), CancellationToken.None);
        Assert.Equal(stored, Encoding.UTF8.GetString(Convert.FromBase64String(attachment["content"]!.GetValue<string>())));
        Assert.Equal(EmailWorld.Coordinator, call.Payload["reply_to"]!["email"]!.GetValue<string>());
        Assert.DoesNotContain("<FAC>", call.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SendGridDownThenBack_TheRetrySendsOnlyWhatWasNotSent()
    {
        var round = await ApprovedRoundAsync();
        world.SendGrid.Always("coreper@diplobel.fed.be", FakeReply.ServerError(503));

        await Assert.ThrowsAnyAsync<Exception>(() => Activity.RunAsync(new FinalPositionDistribution(round.Id, 1)));
        world.SendGrid.Heal("coreper@diplobel.fed.be");
        var sent = await Activity.RunAsync(new FinalPositionDistribution(round.Id, 1));

        Assert.Equal(1, sent);
        Assert.Equal(5, FinalPositionCalls(round.Id).Count(c => c.Accepted));
        Assert.Single(FinalPositionCalls(round.Id), c => c.Accepted && c.To.Contains("coreper@diplobel.fed.be"));
    }

    [Fact]
    public async Task RunAsync_ARepresentationAddressRefused_TheCoordinatorIsToldOnceAndTheOthersGoOut()
    {
        var round = await ApprovedRoundAsync();
        world.SendGrid.Always("permrep.eu@diplobel.fed.be", FakeReply.BadRequest("Does not contain a valid address."));

        var sent = await Activity.RunAsync(new FinalPositionDistribution(round.Id, 1));
        await Activity.RunAsync(new FinalPositionDistribution(round.Id, 1));

        Assert.Equal(4, sent);
        var notice = Assert.Single(world.SendGrid.Calls, c => c.RoundId == round.Id && c.Notice == nameof(NoticeKind.Undeliverable));
        Assert.Equal("permanent-representation-1", notice.ParticipantId);
        Assert.Contains("permrep.eu@diplobel.fed.be", notice.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_ARepresentationAddressBounces_TheCoordinatorIsToldOnceWhateverComesAgain()
    {
        var round = await ApprovedRoundAsync();
        await Activity.RunAsync(new FinalPositionDistribution(round.Id, 1));
        var toCoreper = FinalPositionCalls(round.Id).Single(c => c.ParticipantId == "permanent-representation-2");
        var bounce = EventWebhookSigner.Event(toCoreper, "bounce", reason: "550 5.1.1 The email account does not exist.");

        await PostEventsAsync(bounce);
        await PostEventsAsync((JsonObject)bounce.DeepClone());

        var notice = Assert.Single(world.SendGrid.Calls, c => c.RoundId == round.Id && c.Notice == nameof(NoticeKind.Undeliverable));
        Assert.Equal("permanent-representation-2", notice.ParticipantId);
        Assert.Contains("coreper@diplobel.fed.be", notice.PlainText, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1", notice.PlainText, StringComparison.Ordinal);
    }

    async Task PostEventsAsync(params JsonObject[] events)
    {
        var bytes = Encoding.UTF8.GetBytes(new JsonArray(events.Select(e => (JsonNode)e).ToArray()).ToJsonString());
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Request.Headers[EventWebhookSigner.SignatureHeader] = signer.Sign(timestamp, bytes);
        context.Request.Headers[EventWebhookSigner.TimestampHeader] = timestamp;
        var result = await world.Get<EmailEventsApi>().ReceiveAsync(context.Request, CancellationToken.None);
        var (status, _) = await world.ExecuteAsync(result, context);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
    }
}
