using System.Text.Json.Serialization;

namespace MultilateralFlows.Email;

/// <summary>What the coordinator is told about, and what the notice's <see cref="EmailKey.MessageNumber"/> is.</summary>
public enum NoticeKind
{
    /// <summary>A draft position is ready for review; its version is the message number.</summary>
    PositionReady,

    /// <summary>The position was approved as final; its version is the message number.</summary>
    PositionFinal,

    /// <summary>The mail service refused a participant's e-mail for good: the participant has not been reached (message number 0).</summary>
    Undeliverable,

    /// <summary>The mail service did not answer in time for a participant's e-mail: it may or may not have gone out (message number 0).</summary>
    Unconfirmed,

    /// <summary>
    /// The round's workflow stopped on an error past its retries (message number: the iteration); <see cref="CoordinatorNotice.Detail"/>
    /// says what failed. A linked round's parent coordinator is told too.
    /// </summary>
    Stopped,

    /// <summary>
    /// The housekeeping watchdog found the round open but no workflow running it (missing, failed or terminated; message number:
    /// the iteration). Not sent where a <see cref="Stopped"/> notice of the same iteration already told the coordinator.
    /// </summary>
    Stuck,

    /// <summary>
    /// A linked SOIA round is not approved yet and its COORMULTI round's deadline is close (message number 1: once per SOIA
    /// round). Sent to both coordinators: the SOIA round's, and the COORMULTI round's (in that round's ledger, under Flanders).
    /// </summary>
    ParentDeadlineNear,

    /// <summary>
    /// To a COORMULTI round's coordinator: Flanders' position came from its linked SOIA round after replies closed, and is
    /// held for them to accept or decline (in the COORMULTI round's ledger under Flanders; message number: the linked
    /// round's iteration, the n of <c>…-soia-n</c>).
    /// </summary>
    LateContribution,

    /// <summary>
    /// To a linked SOIA round's coordinator: its approved position came after the COORMULTI round had ended (final or
    /// cancelled) and was not submitted there (message number: the SOIA position version).
    /// </summary>
    TooLate,
}

/// <summary>
/// A notice to a round's coordinator; <see cref="MessageNumber"/> (see <see cref="NoticeKind"/>) makes each notice its own message.
/// <see cref="Participant"/> names the participant an Undeliverable or Unconfirmed notice is about (message number 0:
/// one such notice per participant and round, however many of its e-mails fail).
/// </summary>
/// <param name="MessageNumber">"Sequence" in JSON: an activity scheduled before a deploy runs after it with the input its history recorded.</param>
public sealed record CoordinatorNotice(
    string RoundId,
    NoticeKind Kind,
    [property: JsonPropertyName("Sequence")] int MessageNumber,
    string? Participant = null,
    string? Detail = null);
