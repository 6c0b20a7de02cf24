using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;

namespace MultilateralFlows.Email;

/// <summary>Sends through the SendGrid v3 API with the official client.</summary>
public sealed class SendGridEmailSender(ISendGridClient client, IOptions<SendGridOptions> options, ILogger<SendGridEmailSender> logger) : IEmailSender
{
    public async Task<EmailReceipt> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var response = await client.SendEmailAsync(SendGridPayload.Build(message, options.Value), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Body.ReadAsStringAsync(cancellationToken);
            throw new EmailDeliveryException(message.Key, response.StatusCode, body);
        }

        var messageId = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
        logger.LogInformation("E-mail {MessageKey} accepted by SendGrid as {ProviderMessageId}", message.Key, messageId);
        return new EmailReceipt(messageId);
    }
}

/// <summary>The mail service refused or failed a message.</summary>
public sealed class EmailDeliveryException(string messageKey, HttpStatusCode status, string detail)
    : Exception($"SendGrid answered {(int)status} for e-mail {messageKey}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
}
