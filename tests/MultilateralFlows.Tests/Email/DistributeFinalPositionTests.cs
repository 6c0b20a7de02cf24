using System.Text;
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

    EmailWorld world = null!;

    public async Task InitializeAsync() => world = await EmailWorld.StartAsync();

    public async Task DisposeAsync() => await world.DisposeAsync();

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
        Assert.Equal($"position-{round.Id}-v1.html", attachment["filename"]!.GetValue<string>());
        Assert.StartsWith("text/html", attachment["type"]!.GetValue<string>(), StringComparison.Ordinal);
        var stored = await world.Get<PositionStore>().ReadAsync(round.Id, 1, PositionFormat.Html, CancellationToken.None);
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
}
