namespace MultilateralFlows.Email;

/// <summary>Why an e-mail is sent; part of its identity, so each kind goes out once per participant and sequence.</summary>
public enum MessageKind
{
    Request,
    Reminder,
    Receipt,
    CoordinatorNotice,
}

/// <summary>
/// One e-mail to one participant (or the coordinator). <see cref="Sequence"/> tells reminders apart; together with the
/// round, participant and kind it identifies the message, so the same message is never sent twice.
/// </summary>
public sealed record EmailMessage(
    string RoundId,
    string ParticipantId,
    MessageKind Kind,
    int Sequence,
    IReadOnlyList<string> To,
    string Subject,
    string PlainText,
    string Html)
{
    public string Key => $"{RoundId}.{ParticipantId}.{Kind}.{Sequence}";
}

/// <summary>What the mail service said: its message id where it gives one.</summary>
public sealed record EmailReceipt(string? ProviderMessageId);

/// <summary>Hands an e-mail to the mail service (SendGrid) or to the local outbox folder.</summary>
public interface IEmailSender
{
    Task<EmailReceipt> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
