using System.Globalization;
using SendGrid.Helpers.Mail;

namespace MultilateralFlows.Email;

/// <summary>Builds the SendGrid v3 <c>mail/send</c> message for an e-mail; the mail folder writes exactly this payload.</summary>
public static class SendGridPayload
{
    /// <summary>The <c>custom_args</c> names; SendGrid repeats them at the top level of every delivery event.</summary>
    public const string RoundIdArg = "roundId";
    public const string ParticipantIdArg = "participantId";
    public const string KindArg = "kind";
    /// <summary>The key's message number, under its first name: events about messages sent before still carry that.</summary>
    public const string MessageNumberArg = "sequence";
    public const string NoticeArg = "notice";

    public static SendGridMessage Build(EmailMessage message, SendGridOptions options)
    {
        var key = message.Key;
        var mail = new SendGridMessage
        {
            From = new EmailAddress(options.FromEmail, options.FromName),
            Subject = message.Subject,
            PlainTextContent = message.PlainText,
            HtmlContent = message.Html,
        };
        mail.AddTos(message.To.Select(address => new EmailAddress(address)).ToList());
        if (!string.IsNullOrWhiteSpace(message.ReplyTo))
        {
            mail.SetReplyTo(new EmailAddress(message.ReplyTo));
        }

        foreach (var attachment in message.Attachments ?? [])
        {
            mail.AddAttachment(
                attachment.FileName, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(attachment.Content)), attachment.ContentType);
        }

        mail.CustomArgs = new Dictionary<string, string>
        {
            [RoundIdArg] = key.RoundId,
            [ParticipantIdArg] = key.Participant,
            [KindArg] = key.Kind.ToString(),
            [MessageNumberArg] = key.MessageNumber.ToString(CultureInfo.InvariantCulture),
        };
        var categories = new List<string> { "multilateralflows", key.Kind.ToString().ToLowerInvariant() };
        if (key.Notice is { } notice)
        {
            mail.CustomArgs[NoticeArg] = notice.ToString();
            categories.Add(notice.ToString().ToLowerInvariant());
        }

        mail.AddCategories(categories);

        // Reply links are credentials: click tracking would send them through SendGrid's redirect host (and log them
        // there), open tracking adds a pixel nobody asked for, subscription tracking an unsubscribe link to a duty.
        mail.SetClickTracking(false, false);
        mail.SetOpenTracking(false);
        mail.SetSubscriptionTracking(false);
        if (options.SandboxMode)
        {
            mail.SetSandBoxMode(true);
        }

        return mail;
    }
}
