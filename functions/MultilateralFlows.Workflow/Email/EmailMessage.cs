using System.Globalization;

namespace MultilateralFlows.Email;

/// <summary>
/// Why an e-mail is sent; part of its identity, so each kind goes out once per participant and
/// <see cref="EmailKey.MessageNumber"/>.
/// </summary>
public enum MessageKind
{
    /// <summary>The request with the personal reply link.</summary>
    Request,

    /// <summary>A reminder to a participant who has not replied.</summary>
    Reminder,

    /// <summary>The confirmation that a reply was received.</summary>
    Receipt,

    /// <summary>A message to the round's coordinator; <see cref="NoticeKind"/> says which.</summary>
    CoordinatorNotice,

    /// <summary>
    /// The approved position, to a participant or to an address named for the permanent representation
    /// (<see cref="EmailKey.PermanentRepresentation"/>); its message number is the position version.
    /// </summary>
    FinalPosition,
}

/// <summary>
/// The identity of one e-mail: round, participant, kind (and notice) and message number. It names the ledger row that makes
/// the message go out at most once, its file in the local mail folder, and the <c>custom_args</c> SendGrid hands back in delivery
/// events. <see cref="Participant"/> is the participant the message is to or about; notices about the whole round use
/// <see cref="Coordinator"/>.
/// </summary>
/// <param name="MessageNumber">
/// What tells the message apart from the other messages of its kind to (or about) the participant in the round, so that
/// each is sent once: a request's iteration (1, then 2 after a reopening); a reminder's <see cref="ReminderMessageNumber"/>;
/// a receipt's contribution version; a notice's number as its <see cref="NoticeKind"/> says (a position version, an
/// iteration, or 0). Ledger rows, SendGrid's <c>custom_args</c> and recorded activity inputs hold it under its first
/// name, <c>sequence</c>, which they keep.
/// </param>
public sealed record EmailKey(string RoundId, string Participant, MessageKind Kind, int MessageNumber, NoticeKind? Notice = null)
{
    /// <summary>The participant slot of notices about the round as a whole. Not a directory code.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Request, Reminder, Receipt, or the notice kind: distinct names, so one label tells them apart.</summary>
    public string Label => Notice?.ToString() ?? Kind.ToString();

    /// <summary>For file names and logs: <c>{round}.{participant}.{label}.{message number}</c>.</summary>
    public string Name => $"{RoundId}.{Participant}.{Label}.{MessageNumber.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether the message goes to the participant (and so says something about reaching it).</summary>
    public bool ToParticipant => Kind != MessageKind.CoordinatorNotice;

    public static EmailKey ForParticipant(string roundId, string participant, MessageKind kind, int messageNumber) =>
        kind == MessageKind.CoordinatorNotice
            ? throw new ArgumentException("Coordinator notices need a notice kind.", nameof(kind))
            : new(roundId, participant, kind, messageNumber);

    public static EmailKey ForNotice(string roundId, NoticeKind notice, int messageNumber, string? participant) =>
        new(roundId, participant ?? Coordinator, MessageKind.CoordinatorNotice, messageNumber, notice);

    /// <summary>
    /// The participant slot of the n-th address (from 1) the round names for the permanent representation: not a directory
    /// code, so the ledger keeps each address's final position apart from every participant's.
    /// </summary>
    public static string PermanentRepresentation(int number) => $"{PermanentRepresentationPrefix}{number.ToString(CultureInfo.InvariantCulture)}";

    public const string PermanentRepresentationPrefix = "permanent-representation-";

    /// <summary>Reminder n of iteration i is 100·i + n, so that every iteration's reminders are their own messages.</summary>
    public static int ReminderMessageNumber(int iteration, int reminder) => (iteration * 100) + reminder;

    /// <summary>The n of "reminder n" that the e-mail says, from a reminder's <see cref="ReminderMessageNumber"/>.</summary>
    public static int ReminderNumber(int messageNumber) => messageNumber > 100 ? messageNumber % 100 : messageNumber;
}

/// <summary>One e-mail, ready to hand to the mail service. Everything user-written in <see cref="Html"/> is encoded.</summary>
public sealed record EmailMessage(
    EmailKey Key,
    IReadOnlyList<string> To,
    string? ReplyTo,
    string Subject,
    string PlainText,
    string Html,
    IReadOnlyList<EmailAttachment>? Attachments = null);

/// <summary>A file sent with an e-mail (the final position's document).</summary>
public sealed record EmailAttachment(string FileName, string ContentType, string Content);

/// <summary>What the mail service did with a message, as far as the sender can know.</summary>
public enum SendOutcome
{
    /// <summary>Accepted for delivery (SendGrid answered 2xx, or the local mail folder wrote it).</summary>
    Accepted,

    /// <summary>Refused for good for this message (e.g. 400 for an address SendGrid does not accept): sending it again cannot help.</summary>
    Rejected,

    /// <summary>Certainly not accepted (throttled, server errors, no connection, configuration): safe to send again later.</summary>
    NotAccepted,

    /// <summary>
    /// Unknown: the request may have reached SendGrid, but no answer came (time-out, connection lost mid-request).
    /// SendGrid has no idempotency key, so sending again could deliver it twice.
    /// </summary>
    Unconfirmed,
}

/// <summary>The sender's verdict: <see cref="ProviderMessageId"/> is SendGrid's <c>X-Message-Id</c> when accepted.</summary>
public sealed record SendResult(SendOutcome Outcome, string? ProviderMessageId = null, int? Status = null, string? Detail = null)
{
    public static SendResult Accepted(string? providerMessageId) => new(SendOutcome.Accepted, providerMessageId);
}

/// <summary>Hands an e-mail to the mail service (SendGrid) or to the local mail folder. One call, one message, no bookkeeping.</summary>
public interface IEmailSender
{
    /// <summary>
    /// True when sending the same message again delivers nothing new (the local mail folder writes the same file under the
    /// same name); SendGrid is not, which is why an interrupted send is never repeated there.
    /// </summary>
    bool RepeatIsHarmless { get; }

    /// <summary>The longest one message can keep this sender busy, retries included.</summary>
    TimeSpan LongestSend { get; }

    Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
