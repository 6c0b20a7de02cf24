using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Email;

/// <summary>The SendEmails activity as either host runs it, run again as Durable Task would retry or replay it.</summary>
public sealed class SendEmailsTests : IAsyncLifetime
{
    static readonly string[] Areas = ["education", "culture-youth-media", "environment"];
    EmailWorld world = null!;

    public async Task InitializeAsync() => world = await EmailWorld.StartAsync();

    public async Task DisposeAsync() => await world.DisposeAsync();

    SendEmails Activity => world.Get<SendEmails>();

    IReadOnlyList<FakeSendGridCall> NoticeCalls(string roundId, string notice) =>
        world.SendGrid.Calls.Where(c => c.RoundId == roundId && c.Notice == notice).ToList();

    [Fact]
    public async Task RunAsync_OneAddressRefused_OthersSentParticipantUndeliverableCoordinatorToldOnce()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, Areas);
        world.SendGrid.Always(EmailWorld.AddressOf("culture-youth-media"), FakeReply.BadRequest("Does not contain a valid address."));
        var batch = EmailBatch.Requests(round.Id, 1, Areas);

        var sent = await Activity.RunAsync(batch);
        var sentAgain = await Activity.RunAsync(batch);

        Assert.Equal(2, sent);
        Assert.Equal(0, sentAgain);
        Assert.Equal(2, world.SendGrid.AcceptedCalls.Count(c => c.Kind == "Request"));
        Assert.Single(world.SendGrid.CallsTo(EmailWorld.AddressOf("culture-youth-media")));

        var refused = await world.StatusOfAsync(round.Id, "culture-youth-media");
        Assert.Equal(DeliveryState.Undeliverable, refused.Delivery);
        Assert.Contains("valid address", refused.DeliveryDetail, StringComparison.Ordinal);
        Assert.Equal(ParticipantState.Pending, refused.State);
        Assert.Equal(DeliveryState.Sent, (await world.StatusOfAsync(round.Id, "education")).Delivery);
        Assert.Equal(ParticipantState.Requested, (await world.StatusOfAsync(round.Id, "education")).State);

        var notice = Assert.Single(NoticeCalls(round.Id, "Undeliverable"));
        Assert.Equal([EmailWorld.Coordinator], notice.To);
        Assert.Equal("culture-youth-media", notice.ParticipantId);
        Assert.Contains("Culture, Youth and Media", notice.PlainText, StringComparison.Ordinal);
        Assert.Contains("valid address", notice.PlainText, StringComparison.Ordinal);
        Assert.StartsWith("Niet afgeleverd", notice.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RetriedAfterSendGridOutage_EveryParticipantGetsExactlyOneRequest()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, Areas);
        var batch = EmailBatch.Requests(round.Id, 1, Areas);
        world.SendGrid.Always(EmailWorld.AddressOf("environment"), FakeReply.ServerError(503));

        await Assert.ThrowsAsync<EmailNotSentException>(() => Activity.RunAsync(batch));
        world.SendGrid.Heal(EmailWorld.AddressOf("environment"));
        var sentOnRetry = await Activity.RunAsync(batch);
        await Activity.RunAsync(batch);

        Assert.Equal(1, sentOnRetry);
        Assert.All(Areas, area => Assert.Single(world.SendGrid.AcceptedCalls, c => c.ParticipantId == area));
        Assert.Empty(NoticeCalls(round.Id, "Undeliverable"));
    }

    [Fact]
    public async Task RunAsync_NoAnswerFromSendGrid_NotSentAgainAndCoordinatorToldItIsUnconfirmed()
    {
        await world.DisposeAsync();
        world = await EmailWorld.StartAsync(EmailWorld.ShortTimeout);
        var round = await world.StartRoundAsync(Procedure.SOIA, Areas);
        world.SendGrid.Script(EmailWorld.AddressOf("education"), FakeReply.Hang);
        var batch = EmailBatch.Requests(round.Id, 1, Areas);

        var sent = await Activity.RunAsync(batch);
        await Activity.RunAsync(batch);

        Assert.Equal(2, sent);
        Assert.Single(world.SendGrid.CallsTo(EmailWorld.AddressOf("education")));
        var status = await world.StatusOfAsync(round.Id, "education");
        Assert.Equal(DeliveryState.Unconfirmed, status.Delivery);
        Assert.Single(NoticeCalls(round.Id, "Unconfirmed"));
    }

    [Fact]
    public async Task RunAsync_CoordinatorNoticeFailsAtFirst_RetryStillSendsItOnce()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, Areas);
        world.SendGrid.Always(EmailWorld.AddressOf("education"), FakeReply.BadRequest("Invalid address."));
        world.SendGrid.Always(EmailWorld.Coordinator, FakeReply.ServerError(500));
        var batch = EmailBatch.Requests(round.Id, 1, Areas);

        await Assert.ThrowsAsync<EmailNotSentException>(() => Activity.RunAsync(batch));
        world.SendGrid.Heal(EmailWorld.Coordinator);
        await Activity.RunAsync(batch);
        await Activity.RunAsync(batch);

        Assert.Single(NoticeCalls(round.Id, "Undeliverable"), c => c.Accepted);
        Assert.Single(world.SendGrid.CallsTo(EmailWorld.AddressOf("education")));
    }

    [Fact]
    public async Task RunAsync_Reminder_OnlyToParticipantsWhoHaveNotReplied()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, Areas);
        var stored = (await world.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None))!;
        await world.Get<ContributionStore>().SaveAsync(
            stored, "education", [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);

        var sent = await Activity.RunAsync(new EmailBatch(round.Id, MessageKind.Reminder, 1, Areas));

        Assert.Equal(2, sent);
        var reminders = world.SendGrid.Calls.Where(c => c.Kind == "Reminder").ToList();
        Assert.DoesNotContain(reminders, c => c.ParticipantId == "education");
        Assert.All(reminders, c => Assert.StartsWith("Herinnering 1:", c.Subject, StringComparison.Ordinal));
        Assert.All(reminders, c => Assert.Contains("https://flows.example/api/reply/", c.PlainText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ReopenedRound_RequestSaysSoAndRemindersSkipOnlyRepliesToThisIteration()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, Areas);
        var store = world.Get<RoundStore>();
        await Activity.RunAsync(EmailBatch.Requests(round.Id, 1, Areas));
        foreach (var area in Areas)
        {
            var stored = (await store.GetAsync(round.Id, CancellationToken.None))!;
            var stance = area == "education" ? Stance.Objection : Stance.Agree;
            ItemReply[] answers = [new ItemReply("5.I", stance, null), new ItemReply("12", Stance.Agree, null)];
            await world.Get<ContributionStore>().SaveAsync(stored, area, answers, "test", CancellationToken.None);
        }

        await world.Get<RequestStore>().ReopenAsync(round.Id, 2, ["5.I"], round.Deadline, CancellationToken.None);
        await Activity.RunAsync(EmailBatch.Requests(round.Id, 2, Areas));
        var reopened = (await store.GetAsync(round.Id, CancellationToken.None))!;
        await world.Get<ContributionStore>().SaveAsync(
            reopened, "education", [new ItemReply("5.I", Stance.AgreeWithRemarks, "Fine now.")], "test", CancellationToken.None);

        var reminded = await Activity.RunAsync(EmailBatch.Reminders(round.Id, 2, 1, Areas));

        var second = world.SendGrid.Calls.Single(c => c.Kind == "Request" && c.ParticipantId == "education" && c.CustomArg("sequence") == "2");
        Assert.StartsWith("[SOIA, ronde 2] Consultatie:", second.Subject, StringComparison.Ordinal);
        Assert.Contains("ronde 2", second.PlainText, StringComparison.Ordinal);
        Assert.Contains("5.I. Draft programme and budget", second.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Ethics of", second.PlainText, StringComparison.Ordinal);
        Assert.Equal(2, reminded);
        var reminders = world.SendGrid.Calls.Where(c => c.Kind == "Reminder").ToList();
        Assert.Equal(["culture-youth-media", "environment"], reminders.Select(c => c.ParticipantId).Order());
        Assert.All(reminders, c => Assert.StartsWith("Herinnering 1:", c.Subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_Receipt_ConfirmsThatVersionInTheParticipantsLanguageWithTheSameReplyLink()
    {
        var round = await world.StartRoundAsync(Procedure.COORMULTI, "wallonia", "german-community");
        await Activity.RunAsync(EmailBatch.Requests(round.Id, 1, ["wallonia", "german-community"]));
        var stored = (await world.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None))!;
        ItemReply[] answers = [new ItemReply("5.I", Stance.Objection, "<b>Non</b> & pas ainsi"), new ItemReply("12", Stance.Agree, null)];
        await world.Get<ContributionStore>().SaveAsync(stored, "wallonia", answers, "test", CancellationToken.None);

        var sent = await Activity.RunAsync(EmailBatch.Receipts(round.Id, 1, ["wallonia"]));
        await Activity.RunAsync(EmailBatch.Receipts(round.Id, 1, ["wallonia"]));

        Assert.Equal(1, sent);
        var receipt = Assert.Single(world.SendGrid.Calls, c => c.Kind == "Receipt");
        var request = world.SendGrid.Calls.Single(c => c.Kind == "Request" && c.ParticipantId == "wallonia");
        Assert.StartsWith("Accusé de réception", receipt.Subject, StringComparison.Ordinal);
        Assert.Contains("Objection", receipt.PlainText, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Non&lt;/b&gt; &amp; pas ainsi", receipt.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Non</b>", receipt.Html, StringComparison.Ordinal);
        Assert.Equal(ReplyLink(request.PlainText), ReplyLink(receipt.PlainText));
        Assert.StartsWith("[COORMULTI] Konsultation", world.SendGrid.Calls.Single(c => c.ParticipantId == "german-community").Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReceiptForAVersionThatDoesNotExist_SendsNothing()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education");

        var sent = await Activity.RunAsync(EmailBatch.Receipts(round.Id, 3, ["education"]));

        Assert.Equal(0, sent);
        Assert.Empty(world.SendGrid.Calls);
    }

    [Fact]
    public async Task SendMissingReceipts_RepliesTheRoundNeverHeardOf_TheLatestStoredVersionGetsItsReceiptOnce()
    {
        var round = await world.StartRoundAsync(Procedure.SOIA, "education", "environment");
        await Activity.RunAsync(EmailBatch.Requests(round.Id, 1, ["education", "environment"]));
        var store = world.Get<RoundStore>();
        var stored = (await store.GetAsync(round.Id, CancellationToken.None))!;
        ItemReply[] answers = [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)];
        foreach (var _ in Enumerable.Range(1, 3))
        {
            await world.Get<ContributionStore>().SaveAsync(stored, "education", answers, "test", CancellationToken.None);
        }

        await Activity.RunAsync(EmailBatch.Receipts(round.Id, 1, ["education"]));
        var missing = world.Get<SendMissingReceipts>();

        var first = await missing.RunAsync(new RoundInput(round.Id));
        var again = await missing.RunAsync(new RoundInput(round.Id));

        Assert.Equal(1, first);
        Assert.Equal(0, again);
        Assert.Equal([1, 3], world.SendGrid.Calls.Where(c => c is { Kind: "Receipt", ParticipantId: "education" }).Select(c => int.Parse(c.CustomArg("sequence")!, System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.DoesNotContain(world.SendGrid.Calls, c => c is { Kind: "Receipt", ParticipantId: "environment" });
    }

    static string ReplyLink(string text) => System.Text.RegularExpressions.Regex.Match(text, @"https://flows\.example/api/reply/[A-Za-z0-9_-]+").Value;
}
