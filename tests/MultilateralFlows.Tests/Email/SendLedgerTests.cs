using Azure;
using Azure.Data.Tables;
using MultilateralFlows.Email;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Email;

/// <summary>The send ledger on Azurite with the real SendGrid client and the fake SendGrid: each message goes out at most once.</summary>
public sealed class SendLedgerTests : IAsyncLifetime
{
    EmailWorld world = null!;
    RoundDefinition round = null!;

    public async Task InitializeAsync()
    {
        world = await EmailWorld.StartAsync();
        round = await world.StartRoundAsync(Procedure.SOIA, "education");
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    SendLedger Ledger => world.Get<SendLedger>();

    static string To => EmailWorld.AddressOf("education");

    EmailMessage Message(MessageKind kind = MessageKind.Request, int messageNumber = 1, params string[] to) => new(
        EmailKey.ForParticipant(round.Id, "education", kind, messageNumber),
        to.Length == 0 ? [To] : to,
        EmailWorld.Coordinator,
        "Subject",
        "Text",
        "<p>Html</p>");

    [Fact]
    public async Task SendOnceAsync_SameMessageTwice_SendsOnceAndRecordsTheMessageId()
    {
        var first = await Ledger.SendOnceAsync(Message(), CancellationToken.None);
        var second = await Ledger.SendOnceAsync(Message(), CancellationToken.None);

        Assert.True(first.Now);
        Assert.Equal(SendState.Sent, first.State);
        Assert.False(second.Now);
        Assert.Equal(SendState.Sent, second.State);
        var call = Assert.Single(world.SendGrid.Calls);
        var row = await world.LedgerRowAsync(Message().Key);
        Assert.Equal(call.MessageId, row!.ProviderMessageId);
    }

    [Fact]
    public async Task SendOnceAsync_Sent_StoresTheRowAsRowsAlreadyStoredAreRead()
    {
        await Ledger.SendOnceAsync(Message(MessageKind.Reminder, 101), CancellationToken.None);

        // Renaming a property renames its column: rows in flight are read by these names. The Tables SDK writes every
        // public getter, so the computed state is a column too (SendState).
        var row = Assert.Single(await world.RowsAsync(round.Id, "email|"));
        Assert.Equal("email|education|Reminder|101", row.RowKey);
        Assert.Equal(
            ["AttemptId", "Attempts", "ClaimedAt", "Delivery", "Kind", "OutboxState", "Participant", "ProviderMessageId", "Recipients", "SentAt",
                "Sequence", "State", "Status"],
            row.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).Order(StringComparer.Ordinal));
        Assert.Equal(
            ("Reminder", 101, "Sent", "Sent"),
            (row.GetString("Kind"), row.GetInt32("Sequence"), row.GetString("State"), row.GetString("OutboxState")));
    }

    [Fact]
    public async Task SendOnceAsync_DifferentMessageNumber_IsAnotherMessage()
    {
        await Ledger.SendOnceAsync(Message(MessageKind.Reminder, 1), CancellationToken.None);
        await Ledger.SendOnceAsync(Message(MessageKind.Reminder, 2), CancellationToken.None);
        await Ledger.SendOnceAsync(Message(MessageKind.Reminder, 1), CancellationToken.None);

        Assert.Equal(["1", "2"], world.SendGrid.Calls.Select(c => c.CustomArg("sequence")));
    }

    [Fact]
    public async Task SendOnceAsync_ConcurrentAttempts_OneReachesSendGrid()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Ledger.SendOnceAsync(Message(), CancellationToken.None))));

        Assert.Single(world.SendGrid.Calls);
        Assert.Single(attempts, a => a.Now);
        Assert.All(attempts, a => Assert.Equal(SendState.Sent, a.State));
    }

    [Fact]
    public async Task SendOnceAsync_SendGridFailsThroughout_ReleasesAndThrowsSoTheRetrySendsItOnce()
    {
        world.SendGrid.Always(To, FakeReply.ServerError(503));

        var failure = await Assert.ThrowsAsync<EmailNotSentException>(() => Ledger.SendOnceAsync(Message(), CancellationToken.None));

        Assert.Equal(503, failure.Status);
        Assert.Equal(SendState.NotSent, (await world.LedgerRowAsync(Message().Key))!.SendState);

        world.SendGrid.Heal(To);
        var retried = await Ledger.SendOnceAsync(Message(), CancellationToken.None);
        await Ledger.SendOnceAsync(Message(), CancellationToken.None);

        Assert.Equal(SendState.Sent, retried.State);
        Assert.Single(world.SendGrid.AcceptedCalls);
        Assert.Equal(2, (await world.LedgerRowAsync(Message().Key))!.Attempts);
    }

    [Fact]
    public async Task SendOnceAsync_NoAnswerFromSendGrid_UnconfirmedAndNeverSentAgain()
    {
        await world.DisposeAsync();
        world = await EmailWorld.StartAsync(EmailWorld.ShortTimeout);
        round = await world.StartRoundAsync(Procedure.SOIA, "education");
        world.SendGrid.Script(To, FakeReply.Hang);

        var first = await Ledger.SendOnceAsync(Message(), CancellationToken.None);
        var again = await Ledger.SendOnceAsync(Message(), CancellationToken.None);

        Assert.Equal(SendState.Unconfirmed, first.State);
        Assert.True(first.Now);
        Assert.Equal(SendState.Unconfirmed, again.State);
        Assert.False(again.Now);
        Assert.Single(world.SendGrid.Calls);
        var status = await world.StatusOfAsync(round.Id, "education");
        Assert.Equal(DeliveryState.Unconfirmed, status.Delivery);
        Assert.NotNull(status.RequestedAt);
    }

    [Fact]
    public async Task SendOnceAsync_AttemptDiedWhileSending_SettledUnconfirmedWithoutSending()
    {
        // What a host killed during the SendGrid call leaves behind: a claim nobody will settle.
        var store = world.Get<SendLedgerStore>();
        var (claimed, _) = await store.ClaimAsync(Message().Key, [To], "dead-attempt", CancellationToken.None);
        Assert.True(claimed);
        var table = world.Storage.Tables.GetTableClient(WorkflowStorage.RoundsTable);
        await table.UpdateEntityAsync(
            new TableEntity(round.Id, RowKeys.Email(Message().Key)) { [nameof(EmailRow.ClaimedAt)] = DateTimeOffset.UtcNow.AddHours(-1) },
            ETag.All,
            TableUpdateMode.Merge);

        var delivery = await Ledger.SendOnceAsync(Message(), CancellationToken.None);

        Assert.Equal(SendState.Unconfirmed, delivery.State);
        Assert.Empty(world.SendGrid.Calls);
        Assert.Contains(await world.RowsAsync(round.Id, "audit|"), a => a.GetString("Action") == "EmailUnconfirmed");
    }

    [Fact]
    public async Task SendOnceAsync_AttemptDiedWhileWritingToTheLocalMailFolder_WritesItAgainBecauseThatIsHarmless()
    {
        await using var local = await EmailWorld.StartAsync(new Dictionary<string, string?> { ["SendGrid:ApiKey"] = "" });
        var localRound = await local.StartRoundAsync(Procedure.SOIA, "education");
        var message = Message() with { Key = EmailKey.ForParticipant(localRound.Id, "education", MessageKind.Request, 1) };
        var (claimed, _) = await local.Get<SendLedgerStore>().ClaimAsync(message.Key, [To], "dead-attempt", CancellationToken.None);
        Assert.True(claimed);
        await local.Storage.Tables.GetTableClient(WorkflowStorage.RoundsTable).UpdateEntityAsync(
            new TableEntity(localRound.Id, RowKeys.Email(message.Key)) { [nameof(EmailRow.ClaimedAt)] = DateTimeOffset.UtcNow.AddMinutes(-1) },
            ETag.All,
            TableUpdateMode.Merge);

        var delivery = await local.Get<SendLedger>().SendOnceAsync(message, CancellationToken.None);

        Assert.Equal(SendState.Sent, delivery.State);
        var folder = local.Get<Microsoft.Extensions.Options.IOptions<MailFolderOptions>>().Value.Path;
        Assert.True(File.Exists(Path.Combine(folder, $"{message.Key.Name}.json")));
    }

    [Fact]
    public async Task SendOnceAsync_AnotherAttemptIsSending_WaitsForItAndDoesNotSend()
    {
        var store = world.Get<SendLedgerStore>();
        var key = Message().Key;
        await store.ClaimAsync(key, [To], "other-attempt", CancellationToken.None);

        var waiting = Ledger.SendOnceAsync(Message(), CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await store.SettleAsync(key, "other-attempt", SendResult.Accepted("from-the-other-attempt"), CancellationToken.None);
        var delivery = await waiting;

        Assert.Equal(SendState.Sent, delivery.State);
        Assert.False(delivery.Now);
        Assert.Empty(world.SendGrid.Calls);
    }

    [Fact]
    public async Task SendOnceAsync_Rejected_RecordsUndeliverableOnTheRequestWithoutMarkingItRequested()
    {
        world.SendGrid.Script(To, FakeReply.BadRequest("Does not contain a valid address."));

        var delivery = await Ledger.SendOnceAsync(Message(), CancellationToken.None);

        Assert.Equal(SendState.Rejected, delivery.State);
        var request = await world.RequestAsync(round.Id, "education");
        Assert.Equal(nameof(DeliveryState.Undeliverable), request.DeliveryState);
        Assert.Contains("Does not contain a valid address.", request.DeliveryDetail, StringComparison.Ordinal);
        Assert.Null(request.RequestedAt);
        Assert.Contains(await world.RowsAsync(round.Id, "audit|"), a => a.GetString("Action") == "EmailRejected");
    }

    [Fact]
    public async Task SendOnceAsync_NoAddress_RejectedWithoutCallingSendGrid()
    {
        var delivery = await Ledger.SendOnceAsync(Message() with { To = [] }, CancellationToken.None);

        Assert.Equal(SendState.Rejected, delivery.State);
        Assert.Empty(world.SendGrid.Calls);
    }

    [Fact]
    public async Task SendOnceAsync_Request_MarksTheParticipantRequestedAndSent()
    {
        await Ledger.SendOnceAsync(Message(), CancellationToken.None);

        var status = await world.StatusOfAsync(round.Id, "education");
        Assert.Equal(ParticipantState.Requested, status.State);
        Assert.Equal(DeliveryState.Sent, status.Delivery);
    }
}
