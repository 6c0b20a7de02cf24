using MultilateralFlows.Email;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Email;

/// <summary>The SendGrid sender with the real SendGrid client against the fake v3 API: what each answer means.</summary>
public sealed class SendGridEmailSenderTests : IAsyncLifetime
{
    const string To = "focal.point@vlaanderen.example";
    EmailWorld world = null!;

    public async Task InitializeAsync() => world = await EmailWorld.StartAsync();

    public async Task DisposeAsync() => await world.DisposeAsync();

    IEmailSender Sender => world.Get<IEmailSender>();

    static EmailMessage Message(string to = To, MessageKind kind = MessageKind.Request, int messageNumber = 0, NoticeKind? notice = null) => new(
        new EmailKey("round-1", "education", kind, messageNumber, notice),
        [to],
        EmailWorld.Coordinator,
        "Subject",
        "Plain text",
        "<p>Html</p>");

    [Fact]
    public async Task SendAsync_Accepted_ReturnsMessageIdAndPostsTheIdentityAsCustomArgs()
    {
        var result = await Sender.SendAsync(Message(kind: MessageKind.Reminder, messageNumber: 2), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        var call = Assert.Single(world.SendGrid.Calls);
        Assert.Equal(call.MessageId, result.ProviderMessageId);
        Assert.Equal($"Bearer {EmailWorld.ApiKey}", call.Authorization);
        Assert.Equal("round-1", call.RoundId);
        Assert.Equal("education", call.ParticipantId);
        Assert.Equal("Reminder", call.Kind);
        Assert.Equal("2", call.CustomArg("sequence"));
        Assert.Equal([To], call.To);
        Assert.Equal(EmailWorld.Coordinator, call.Payload["reply_to"]!["email"]!.GetValue<string>());
        Assert.Equal(["multilateralflows", "reminder"], call.Payload["categories"]!.AsArray().Select(c => c!.GetValue<string>()));

        // Reply links are credentials: SendGrid must not rewrite them through its click tracker.
        Assert.False(call.Payload["tracking_settings"]!["click_tracking"]!["enable"]!.GetValue<bool>());
        Assert.False(call.Payload["tracking_settings"]!["open_tracking"]!["enable"]!.GetValue<bool>());
        Assert.Null(call.Payload["mail_settings"]?["sandbox_mode"]);
    }

    [Fact]
    public async Task SendAsync_Notice_CarriesTheNoticeKind()
    {
        await Sender.SendAsync(Message(kind: MessageKind.CoordinatorNotice, notice: NoticeKind.Undeliverable), CancellationToken.None);

        var call = Assert.Single(world.SendGrid.Calls);
        Assert.Equal("CoordinatorNotice", call.Kind);
        Assert.Equal("Undeliverable", call.Notice);
        Assert.Contains("undeliverable", call.Payload["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task SendAsync_SandboxModeSetting_AsksSendGridNotToDeliver()
    {
        await using var sandboxed = await EmailWorld.StartAsync(new Dictionary<string, string?> { ["SendGrid:SandboxMode"] = "true" });

        await sandboxed.Get<IEmailSender>().SendAsync(Message(), CancellationToken.None);

        Assert.True(Assert.Single(sandboxed.SendGrid.Calls).Payload["mail_settings"]!["sandbox_mode"]!["enable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRetryAfter_WaitsThatLongThenSends()
    {
        world.SendGrid.Script(To, FakeReply.TooManyRequests(retryAfterSeconds: 1));

        var result = await Sender.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        var calls = world.SendGrid.Calls;
        Assert.Equal([429, 202], calls.Select(c => c.AnsweredStatus));

        // The configured backoff is 10 ms: only Retry-After explains a second-long wait.
        Assert.True(calls[1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromMilliseconds(950), $"Retried after {calls[1].ReceivedAt - calls[0].ReceivedAt}");
    }

    [Fact]
    public async Task SendAsync_RetryAfterLongerThanTheLongestWait_GivesUpForNowWithoutWaiting()
    {
        world.SendGrid.Script(To, FakeReply.TooManyRequests(retryAfterSeconds: 600));

        var result = await Sender.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.NotAccepted, result.Outcome);
        Assert.Equal(429, result.Status);
        Assert.Single(world.SendGrid.Calls);
    }

    [Fact]
    public async Task SendAsync_ServerErrorThenAccepted_Retries()
    {
        world.SendGrid.Script(To, FakeReply.ServerError(500), FakeReply.ServerError(503));

        var result = await Sender.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.Accepted, result.Outcome);
        Assert.Equal([500, 503, 202], world.SendGrid.Calls.Select(c => c.AnsweredStatus));
    }

    [Fact]
    public async Task SendAsync_ServerErrorsOnEveryAttempt_NotAcceptedAfterMaxAttempts()
    {
        world.SendGrid.Always(To, FakeReply.ServerError(502));

        var result = await Sender.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.NotAccepted, result.Outcome);
        Assert.Equal(502, result.Status);
        Assert.Equal(3, world.SendGrid.Calls.Count);
    }

    [Fact]
    public async Task SendAsync_BadRequest_RejectedWithSendGridsExplanationAndNotRetried()
    {
        world.SendGrid.Script(To, FakeReply.BadRequest("Does not contain a valid address."));

        var result = await Sender.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.Rejected, result.Outcome);
        Assert.Equal(400, result.Status);
        Assert.Contains("Does not contain a valid address.", result.Detail, StringComparison.Ordinal);
        Assert.Single(world.SendGrid.Calls);
    }

    [Fact]
    public async Task SendAsync_Unauthorized_NotAcceptedAndNotRetried()
    {
        world.SendGrid.Script(To, FakeReply.WithStatus(401, """{"errors":[{"message":"The provided authorization grant is invalid"}]}"""));

        var result = await Sender.SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.NotAccepted, result.Outcome);
        Assert.Contains("authorization grant", result.Detail, StringComparison.Ordinal);
        Assert.Single(world.SendGrid.Calls);
    }

    [Fact]
    public async Task SendAsync_NoAnswerInTime_UnconfirmedAndNotRetried()
    {
        await using var slow = await EmailWorld.StartAsync(EmailWorld.ShortTimeout);
        slow.SendGrid.Script(To, FakeReply.Hang);

        var result = await slow.Get<IEmailSender>().SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.Unconfirmed, result.Outcome);
        Assert.Contains("did not answer within 3 s", result.Detail, StringComparison.Ordinal);
        Assert.Single(slow.SendGrid.Calls);
    }

    [Fact]
    public async Task SendAsync_NobodyListening_NotAccepted()
    {
        await using var unreachable = await EmailWorld.StartAsync(new Dictionary<string, string?> { ["SendGrid:Host"] = $"http://127.0.0.1:{FreePorts.Next()}" });

        var result = await unreachable.Get<IEmailSender>().SendAsync(Message(), CancellationToken.None);

        Assert.Equal(SendOutcome.NotAccepted, result.Outcome);
        Assert.Contains("No connection", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_DoublesPerAttemptUpToTheLongestWait()
    {
        var settings = new SendGridOptions { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(5) };

        var first = SendGridEmailSender.Backoff(1, settings);
        var third = SendGridEmailSender.Backoff(3, settings);
        var tenth = SendGridEmailSender.Backoff(10, settings);

        Assert.InRange(first, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1));
        Assert.InRange(third, TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4));
        Assert.InRange(tenth, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void LongestSend_CoversEveryAttemptTimingOutAfterTheLongestWait()
    {
        var settings = new SendGridOptions { MaxAttempts = 4, RequestTimeout = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromSeconds(30) };

        Assert.True(settings.LongestSend >= TimeSpan.FromMinutes(4));
    }
}
