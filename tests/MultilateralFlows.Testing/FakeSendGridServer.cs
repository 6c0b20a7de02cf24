using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MultilateralFlows.Testing;

/// <summary>How the fake answers one call.</summary>
public abstract record FakeReply
{
    /// <summary>202 with an <c>X-Message-Id</c>, as SendGrid accepts a message.</summary>
    public static FakeReply Accepted { get; } = new AcceptedReply();

    public static FakeReply TooManyRequests(int retryAfterSeconds) => new StatusReply(429, """{"errors":[{"message":"too many requests"}]}""", retryAfterSeconds);

    public static FakeReply ServerError(int status = 500) => new StatusReply(status, """{"errors":[{"message":"internal error"}]}""", null);

    public static FakeReply BadRequest(string message) =>
        new StatusReply(400, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["field"] = "personalizations.0.to" }) }.ToJsonString(), null);

    public static FakeReply WithStatus(int status, string body = "") => new StatusReply(status, body, null);

    /// <summary>Takes the message and never answers (until the caller gives up or the server stops): a time-out.</summary>
    public static FakeReply Hang { get; } = new HangReply();

    internal sealed record AcceptedReply : FakeReply;

    internal sealed record StatusReply(int Status, string Body, int? RetryAfterSeconds) : FakeReply;

    internal sealed record HangReply : FakeReply;
}

/// <summary>One call the fake received: the v3 payload, who it was for, and what the fake answered.</summary>
public sealed record FakeSendGridCall(int Number, DateTimeOffset ReceivedAt, string? Authorization, JsonObject Payload, int AnsweredStatus, string? MessageId)
{
    public IReadOnlyList<string> To =>
        Payload["personalizations"]!.AsArray().SelectMany(p => p!["to"]!.AsArray()).Select(t => t!["email"]!.GetValue<string>()).ToList();

    public string? CustomArg(string name) => Payload["custom_args"]?[name]?.GetValue<string>();

    public string RoundId => CustomArg("roundId")!;

    public string ParticipantId => CustomArg("participantId")!;

    public string Kind => CustomArg("kind")!;

    public string? Notice => CustomArg("notice");

    public string Subject => Payload["subject"]!.GetValue<string>();

    public string PlainText => Content("text/plain");

    public string Html => Content("text/html");

    public bool Accepted => AnsweredStatus == 202;

    string Content(string type) => Payload["content"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == type)!["value"]!.GetValue<string>();
}

/// <summary>
/// A fake SendGrid v3 API on a free loopback port, for the real SendGrid client (<c>SendGrid__Host</c>): it implements
/// <c>POST /v3/mail/send</c>, records every call, and answers 202 unless told otherwise per recipient (429 with
/// <c>Retry-After</c>, 5xx, 400, or no answer at all).
/// </summary>
public sealed class FakeSendGridServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<FakeSendGridCall> calls = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<FakeReply>> scripted = new(StringComparer.OrdinalIgnoreCase);
    readonly ConcurrentDictionary<string, FakeReply> always = new(StringComparer.OrdinalIgnoreCase);
    readonly CancellationTokenSource stopping = new();
    int counter;

    FakeSendGridServer(WebApplication app, int port)
    {
        this.app = app;
        Url = $"http://127.0.0.1:{port}";
    }

    /// <summary>The base address to give the client (<c>SendGridClientOptions.Host</c>, <c>SendGrid__Host</c>).</summary>
    public string Url { get; }

    public IReadOnlyList<FakeSendGridCall> Calls => calls.ToArray();

    /// <summary>The calls the fake answered 202: the messages "SendGrid" took.</summary>
    public IReadOnlyList<FakeSendGridCall> AcceptedCalls => Calls.Where(c => c.Accepted).ToList();

    public static async Task<FakeSendGridServer> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FakeSendGridServer(app, port);
        app.MapPost("/v3/mail/send", server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>The next calls for a recipient get these answers in order; after them, 202 again.</summary>
    public void Script(string recipient, params FakeReply[] replies)
    {
        var queue = scripted.GetOrAdd(recipient, _ => new ConcurrentQueue<FakeReply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    /// <summary>Every call for a recipient gets this answer until <see cref="Heal"/>.</summary>
    public void Always(string recipient, FakeReply reply) => always[recipient] = reply;

    public void Heal(string recipient)
    {
        always.TryRemove(recipient, out _);
        scripted.TryRemove(recipient, out _);
    }

    public IReadOnlyList<FakeSendGridCall> CallsTo(string recipient) =>
        Calls.Where(c => c.To.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>Waits for a call that matches; polls the record, so it sees calls that came before it was asked.</summary>
    public async Task<FakeSendGridCall> WaitForCallAsync(Func<FakeSendGridCall, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var found = Calls.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No matching SendGrid call within the time; calls so far:\n{string.Join('\n', Calls.Select(c => $"{c.Number}: {c.Kind} {c.Notice} to {string.Join(',', c.To)} -> {c.AnsweredStatus}"))}");
            }

            await Task.Delay(50);
        }
    }

    async Task HandleAsync(HttpContext context)
    {
        var payload = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var number = Interlocked.Increment(ref counter);
        var to = payload["personalizations"]!.AsArray().SelectMany(p => p!["to"]!.AsArray()).Select(t => t!["email"]!.GetValue<string>()).ToList();
        var reply = NextReply(to);
        var response = context.Response;
        switch (reply)
        {
            case FakeReply.HangReply:
                calls.Enqueue(new FakeSendGridCall(number, DateTimeOffset.UtcNow, context.Request.Headers.Authorization, payload, 0, null));
                using (var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, both.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                return;
            case FakeReply.StatusReply status:
                calls.Enqueue(new FakeSendGridCall(number, DateTimeOffset.UtcNow, context.Request.Headers.Authorization, payload, status.Status, null));
                response.StatusCode = status.Status;
                if (status.RetryAfterSeconds is { } seconds)
                {
                    response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                response.ContentType = "application/json";
                await response.WriteAsync(status.Body);
                return;
            default:
                var messageId = $"fake{number:D6}{Guid.NewGuid():N}"[..22];
                calls.Enqueue(new FakeSendGridCall(number, DateTimeOffset.UtcNow, context.Request.Headers.Authorization, payload, 202, messageId));
                response.StatusCode = 202;
                response.Headers["X-Message-Id"] = messageId;
                return;
        }
    }

    FakeReply NextReply(IReadOnlyList<string> to)
    {
        foreach (var recipient in to)
        {
            if (always.TryGetValue(recipient, out var fixedReply))
            {
                return fixedReply;
            }

            if (scripted.TryGetValue(recipient, out var queue) && queue.TryDequeue(out var next))
            {
                return next;
            }
        }

        return FakeReply.Accepted;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
