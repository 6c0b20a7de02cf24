using SendGrid.Helpers.Mail;

namespace MultilateralFlows.Email;

/// <summary>Builds the SendGrid v3 <c>mail/send</c> message for an e-mail; the outbox writes exactly this payload.</summary>
public static class SendGridPayload
{
    public static SendGridMessage Build(EmailMessage message, SendGridOptions options)
    {
        var mail = new SendGridMessage
        {
            From = new EmailAddress(options.FromEmail, options.FromName),
            Subject = message.Subject,
            PlainTextContent = message.PlainText,
            HtmlContent = message.Html,
        };
        mail.AddTos(message.To.Select(address => new EmailAddress(address)).ToList());
        mail.CustomArgs = new Dictionary<string, string>
        {
            ["roundId"] = message.RoundId,
            ["participantId"] = message.ParticipantId,
            ["kind"] = message.Kind.ToString(),
            ["sequence"] = message.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        mail.AddCategories(["multilateralflows", message.Kind.ToString().ToLowerInvariant()]);
        if (options.SandboxMode)
        {
            mail.SetSandBoxMode(true);
        }

        return mail;
    }
}
