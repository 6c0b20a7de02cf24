using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Http;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Email;

/// <summary>The answer to a batch of delivery events.</summary>
public sealed record EventsReceipt(int Received, int Recorded, int Duplicates, int Ignored);

/// <summary>
/// <c>POST /api/email/events</c>: SendGrid's Event Webhook. Anonymous at the gateway; the ECDSA signature is the
/// credential, so nothing is parsed before it verifies. Events about our messages (recognised by their
/// <c>custom_args</c>) that say processed, deferred, delivered, bounced or dropped are recorded once each (by
/// <c>sg_event_id</c>) against the message and the participant's request; everything else is acknowledged and ignored,
/// so SendGrid does not retry it. A request or reminder that bounced or was dropped for every address it went to
/// means the participant was not reached: the coordinator is told, once per participant and round, as when SendGrid
/// refuses a message outright.
/// </summary>
public sealed partial class EmailEventsApi(
    SendLedgerStore ledger,
    CoordinatorNotices notices,
    IOptions<SendGridOptions> options,
    TimeProvider time,
    ILogger<EmailEventsApi> logger)
{
    /// <summary>SendGrid posts a batch when it reaches 768 KiB or every 30 s; twice that leaves room.</summary>
    public const int MaxEventBytes = 2 * 1024 * 1024;

    const int ParallelMessages = 8;

    readonly Lazy<byte[]?> publicKey = new(() =>
        EventWebhookSignature.TryParseKey(options.Value.WebhookPublicKey, out var key) ? key : null);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,79}$")]
    private static partial Regex ParticipantPattern();

    public async Task<IResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        byte[] body = [];
        if (publicKey.Value is not { } key)
        {
            return Problems.ServiceUnavailable(
                "The event webhook is not configured: set SendGrid__WebhookPublicKey to the verification key of the signed Event Webhook. " +
                "Unsigned events are never accepted.",
                "Not configured");
        }

        // The headers and the announced size first, so a request that cannot be accepted is refused unread; then the body,
        // hashed as it arrives, and kept (at most the limit) to be parsed once the signature holds.
        if (request.ContentLength > MaxEventBytes)
        {
            return Problems.TooLarge(MaxEventBytes);
        }

        var check = EventWebhookSignature.ReadHeaders(
            request.Headers[EventWebhookSignature.SignatureHeader], request.Headers[EventWebhookSignature.TimestampHeader], out var headers);
        if (check == SignatureCheck.Valid)
        {
            using var hash = EventWebhookSignature.StartHash(headers!);
            var (read, tooLarge) = await RequestBody.ReadBytesAsync(request, MaxEventBytes, cancellationToken, chunk => hash.AppendData(chunk.Span));
            if (tooLarge is not null)
            {
                return tooLarge;
            }

            body = read;
            check = EventWebhookSignature.Verify(key, headers!, hash.GetHashAndReset(), time.GetUtcNow());
        }

        if (check != SignatureCheck.Valid)
        {
            logger.LogWarning("E-mail events refused: signature {SignatureCheck}", check);
            return Problems.Unauthorized(check switch
            {
                SignatureCheck.Missing => $"Signed events only: the {EventWebhookSignature.SignatureHeader} and " +
                    $"{EventWebhookSignature.TimestampHeader} headers are required.",
                SignatureCheck.Malformed => "The signature or timestamp header is malformed.",
                SignatureCheck.Stale => $"The timestamp is more than {EventWebhookSignature.MaxClockDifference.TotalMinutes:0} minutes from now.",
                _ => "The signature does not match the body and timestamp.",
            });
        }

        var (events, ignored, problem) = Parse(body);
        if (problem is not null)
        {
            return problem;
        }

        var received = events.Count + ignored;
        var recorded = 0;
        var duplicates = 0;
        var unreached = new ConcurrentDictionary<EmailKey, byte>();

        // Events about one message are recorded in order (they change the same rows); different messages in parallel.
        await Parallel.ForEachAsync(
            events.GroupBy(e => e.Key),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelMessages, CancellationToken = cancellationToken },
            async (message, ct) =>
            {
                foreach (var e in message)
                {
                    var recording = await ledger.RecordEventAsync(e, ct);
                    switch (recording)
                    {
                        case EventRecording.Recorded:
                            Interlocked.Increment(ref recorded);
                            break;
                        case EventRecording.Duplicate:
                            Interlocked.Increment(ref duplicates);
                            break;
                        default:
                            Interlocked.Increment(ref ignored);
                            break;
                    }

                    // Duplicates too: a batch SendGrid sends again may be the retry of one whose notice could not go out.
                    if (recording != EventRecording.UnknownMessage && e.Type is DeliveryEventType.Bounced or DeliveryEventType.Dropped
                        && e.Key.Kind is MessageKind.Request or MessageKind.Reminder or MessageKind.FinalPosition)
                    {
                        unreached.TryAdd(e.Key, 0);
                    }
                }
            });

        if (!await TellCoordinatorsAsync(unreached.Keys, cancellationToken))
        {
            // The events are recorded; SendGrid sends the batch again later, and then the notices go out.
            return Problems.ServiceUnavailable(
                "The events are recorded, but a coordinator could not be told of an address that bounced; send them again later.");
        }

        logger.LogInformation(
            "E-mail events: {Received} received, {Recorded} recorded, {Duplicates} duplicate, {Ignored} ignored",
            received, recorded, duplicates, ignored);
        return Results.Json(new EventsReceipt(received, recorded, duplicates, ignored), WorkflowJson.Options);
    }

    /// <summary>
    /// Tells each coordinator of a participant whose message reached none of its addresses (another address may have
    /// taken it: then the participant was reached). False when the mail service did not take a notice.
    /// </summary>
    async Task<bool> TellCoordinatorsAsync(IEnumerable<EmailKey> messages, CancellationToken cancellationToken)
    {
        var told = true;
        foreach (var key in messages)
        {
            if (await ledger.GetAsync(key, cancellationToken) is not { Delivery: nameof(DeliveryState.Bounced) or nameof(DeliveryState.Dropped) })
            {
                continue;
            }

            try
            {
                await notices.SendAsync(key.RoundId, NoticeKind.Undeliverable, 0, key.Participant, cancellationToken);
            }
            catch (EmailNotSentException e)
            {
                logger.LogWarning(
                    e, "Round {RoundId}: the coordinator could not be told that {Participant} was not reached", key.RoundId, key.Participant);
                told = false;
            }
        }

        return told;
    }

    /// <summary>The events worth recording, how many others there were, or why the body is not a batch of events.</summary>
    static (IReadOnlyList<DeliveryEvent> Events, int Ignored, IResult? Problem) Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = WorkflowJson.MaxDepth });
        }
        catch (JsonException)
        {
            return ([], 0, Problems.BadRequest("The body is not valid JSON; SendGrid sends a JSON array of events."));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return ([], 0, Problems.BadRequest("The body must be a JSON array of events."));
            }

            var events = new List<DeliveryEvent>();
            var ignored = 0;
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    return ([], 0, Problems.BadRequest($"Event {index} is not a JSON object."));
                }

                if (ToEvent(element) is { } e)
                {
                    events.Add(e);
                }
                else
                {
                    ignored++;
                }

                index++;
            }

            return (events, ignored, null);
        }
    }

    /// <summary>An event we keep, or null: another kind (open, click, ...), another sender's message, or no usable id.</summary>
    static DeliveryEvent? ToEvent(JsonElement e)
    {
        DeliveryEventType? type = Text(e, "event") switch
        {
            "processed" => DeliveryEventType.Processed,
            "deferred" => DeliveryEventType.Deferred,
            "delivered" => DeliveryEventType.Delivered,
            "bounce" => DeliveryEventType.Bounced,
            "dropped" => DeliveryEventType.Dropped,
            _ => null,
        };
        var eventId = Text(e, "sg_event_id");
        var roundId = Text(e, SendGridPayload.RoundIdArg);
        var participant = Text(e, SendGridPayload.ParticipantIdArg);
        if (type is null || string.IsNullOrEmpty(eventId) || eventId.Length > 200
            || !RoundIds.IsValid(roundId) || participant is null || !ParticipantPattern().IsMatch(participant)
            || !Enum.TryParse<MessageKind>(Text(e, SendGridPayload.KindArg), ignoreCase: false, out var kind) || !Enum.IsDefined(kind)
            || !int.TryParse(Text(e, SendGridPayload.MessageNumberArg), NumberStyles.None, CultureInfo.InvariantCulture, out var messageNumber))
        {
            return null;
        }

        NoticeKind? notice = null;
        if (kind == MessageKind.CoordinatorNotice)
        {
            if (!Enum.TryParse<NoticeKind>(Text(e, SendGridPayload.NoticeArg), ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
            {
                return null;
            }

            notice = parsed;
        }

        DateTimeOffset? occurredAt = e.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.Number
            && timestamp.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        var messageId = Text(e, "sg_message_id");
        return new DeliveryEvent(
            eventId,
            type.Value,
            new EmailKey(roundId!, participant, kind, messageNumber, notice),
            Text(e, "email"),
            Text(e, "reason") ?? Text(e, "response"),
            messageId?.Split('.')[0],
            occurredAt);
    }

    /// <summary>A string property, or a number as text (custom args are strings, but be lenient about <c>sequence</c>).</summary>
    static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
