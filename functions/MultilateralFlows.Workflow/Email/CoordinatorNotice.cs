namespace MultilateralFlows.Email;

/// <summary>What the coordinator is told about.</summary>
public enum NoticeKind
{
    /// <summary>A draft position is ready for review; the sequence is its version.</summary>
    PositionReady,

    /// <summary>The position was approved as final; the sequence is its version.</summary>
    PositionFinal,

    /// <summary>The mail service refused a participant's e-mail for good: the participant has not been reached (sequence 0).</summary>
    Undeliverable,

    /// <summary>The mail service did not answer in time for a participant's e-mail: it may or may not have gone out (sequence 0).</summary>
    Unconfirmed,

    /// <summary>
    /// The round's workflow stopped on an error past its retries (sequence: the iteration); <see cref="CoordinatorNotice.Detail"/>
    /// says what failed. A linked round's parent coordinator is told too.
    /// </summary>
    Stopped,

    /// <summary>
    /// The housekeeping watchdog found the round open but no workflow running it (missing, failed or terminated; sequence:
    /// the iteration). Not sent where a <see cref="Stopped"/> notice of the same iteration already told the coordinator.
    /// </summary>
    Stuck,
}

/// <summary>
/// A notice to a round's coordinator; <see cref="Sequence"/> (the position version) makes each notice its own message.
/// <see cref="Participant"/> names the participant an Undeliverable or Unconfirmed notice is about (sequence 0: one such
/// notice per participant and round, however many of its e-mails fail).
/// </summary>
public sealed record CoordinatorNotice(string RoundId, NoticeKind Kind, int Sequence, string? Participant = null, string? Detail = null);
