using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;

namespace MultilateralFlows.Email;

/// <summary>
/// Sends through the SendGrid v3 API with the official client, and classifies every answer by what it means for
/// sending again: 2xx accepted; 400/413 rejected for good; 408/429/5xx and refused connections certainly not accepted,
/// so retried here with backoff (honouring <c>Retry-After</c>) within a bounded time; a time-out or a connection lost
/// mid-request unconfirmed, and never retried: SendGrid has no idempotency key, so a retry could deliver twice.
/// </summary>
/// <remarks>
/// The client's own <c>ReliabilitySettings</c> are not used (they only apply when the client builds its own HttpClient):
/// they retry time-outs, which could send twice, and neither retry 429 nor read <c>Retry-After</c>.
/// Throws only when the message certainly did not reach SendGrid (cancelled before the call).
/// </remarks>
public sealed class SendGridEmailSender(
    ISendGridClient client,
    IOptions<SendGridOptions> options,
    TimeProvider time,
    ILogger<SendGridEmailSender> logger) : IEmailSender
{
    public bool RepeatIsHarmless => false;

    public TimeSpan LongestSend => options.Value.LongestSend;

    const int MaxDetailLength = 500;

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mail = SendGridPayload.Build(message, settings);
        SendResult? lastRefusal = null;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (result, retry, retryAfter) = await CallAsync(message, mail, settings, cancellationToken);
            if (!retry)
            {
                return result;
            }

            lastRefusal = result;
            if (attempt == settings.MaxAttempts)
            {
                break;
            }

            var delay = retryAfter ?? Backoff(attempt, settings);
            if (delay > settings.MaxRetryDelay)
            {
                logger.LogWarning(
                    "E-mail {MessageKey}: SendGrid asks to wait {RetryAfter}, longer than {MaxRetryDelay}; giving up for now",
                    message.Key.Name, delay, settings.MaxRetryDelay);
                return result with { Detail = $"{result.Detail} SendGrid asked to wait {delay.TotalSeconds:0} s." };
            }

            logger.LogWarning(
                "E-mail {MessageKey}: attempt {Attempt} not accepted ({Status}); retrying in {Delay}",
                message.Key.Name, attempt, result.Status, delay);
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Nothing is in flight while waiting: the message certainly did not go out.
                return result;
            }
        }

        return lastRefusal!;
    }

    /// <summary>One call: the verdict, whether another call may help, and the wait SendGrid asked for (<c>Retry-After</c>), if any.</summary>
    async Task<(SendResult Result, bool Retry, TimeSpan? RetryAfter)> CallAsync(
        EmailMessage message, SendGrid.Helpers.Mail.SendGridMessage mail, SendGridOptions settings, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(settings.RequestTimeout);
        Response response;
        try
        {
            response = await client.SendEmailAsync(mail, attemptTimeout.Token);
        }
        catch (OperationCanceledException)
        {
            var why = cancellationToken.IsCancellationRequested
                ? "The host stopped while waiting for SendGrid's answer."
                : $"SendGrid did not answer within {settings.RequestTimeout.TotalSeconds:0.#} s.";
            logger.LogError("E-mail {MessageKey}: {Reason} It may have been sent; it is not sent again", message.Key.Name, why);
            return (new SendResult(SendOutcome.Unconfirmed, Detail: why), false, null);
        }
        catch (HttpRequestException e) when (NeverLeft(e))
        {
            logger.LogWarning("E-mail {MessageKey}: no connection to SendGrid ({HttpError})", message.Key.Name, e.HttpRequestError);
            return (new SendResult(SendOutcome.NotAccepted, Detail: $"No connection to SendGrid: {e.Message}"), true, null);
        }
        catch (HttpRequestException e)
        {
            var why = $"The connection to SendGrid broke during the call: {e.Message}";
            logger.LogError(e, "E-mail {MessageKey}: {Reason} It may have been sent; it is not sent again", message.Key.Name, why);
            return (new SendResult(SendOutcome.Unconfirmed, Detail: why), false, null);
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var messageId = response.Headers?.TryGetValues("X-Message-Id", out var values) == true ? values.FirstOrDefault() : null;
            logger.LogInformation("E-mail {MessageKey} accepted by SendGrid as {ProviderMessageId}", message.Key.Name, messageId);
            return (new SendResult(SendOutcome.Accepted, messageId, status), false, null);
        }

        var detail = $"SendGrid answered {status}: {await ErrorDetailAsync(response, cancellationToken)}";
        switch (response.StatusCode)
        {
            case HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge:
                logger.LogWarning("E-mail {MessageKey} rejected by SendGrid: {Detail}", message.Key.Name, detail);
                return (new SendResult(SendOutcome.Rejected, Status: status, Detail: detail), false, null);
            case HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests:
            case >= HttpStatusCode.InternalServerError:
                return (new SendResult(SendOutcome.NotAccepted, Status: status, Detail: detail), true, RetryAfter(response.Headers));
            default:
                // 401, 403, 404 and the like: the API key, the sender identity or the host is wrong for every message.
                logger.LogError(
                    "E-mail {MessageKey} not accepted: {Detail}. Check SendGrid__ApiKey, SendGrid__FromEmail and SendGrid__Host",
                    message.Key.Name, detail);
                return (new SendResult(SendOutcome.NotAccepted, Status: status, Detail: detail), false, null);
        }
    }

    /// <summary>Failures before the request was written: no connection, no name, no TLS. SendGrid cannot have seen the message.</summary>
    static bool NeverLeft(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    TimeSpan? RetryAfter(HttpResponseHeaders? headers) => headers?.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Exponential backoff with jitter, so parallel sends that were throttled together do not return together.</summary>
    public static TimeSpan Backoff(int attempt, SendGridOptions settings)
    {
        var exponential = settings.RetryDelay * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = exponential > settings.MaxRetryDelay ? settings.MaxRetryDelay : exponential;
#pragma warning disable CA5394 // Jitter, not security.
        return capped * (0.8 + (0.2 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
    }

    /// <summary>SendGrid explains refusals as <c>{"errors":[{"message","field"}]}</c>; the messages are what a coordinator needs.</summary>
    static async Task<string> ErrorDetailAsync(Response response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return "(no readable body)";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var messages = errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString() : null)
                    .OfType<string>()
                    .ToList();
                if (messages.Count > 0)
                {
                    return Truncate(string.Join("; ", messages));
                }
            }
        }
        catch (JsonException)
        {
        }

        return Truncate(string.IsNullOrWhiteSpace(body) ? "(empty body)" : body);
    }

    static string Truncate(string value) => value.Length <= MaxDetailLength ? value : value[..MaxDetailLength] + "…";
}
