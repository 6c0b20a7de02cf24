namespace MultilateralFlows.Email;

/// <summary>
/// How far an e-mail got, as the round status shows it per participant (for the latest message to that participant).
/// </summary>
public enum DeliveryState
{
    /// <summary>Handed to SendGrid (or written to the local mail folder); no delivery event yet.</summary>
    Sent,

    /// <summary>The receiving server accepted it (SendGrid's <c>delivered</c> event) for at least one address.</summary>
    Delivered,

    /// <summary>The receiving server refused it (SendGrid's <c>bounce</c> event) for every address that reported.</summary>
    Bounced,

    /// <summary>SendGrid did not deliver it (SendGrid's <c>dropped</c> event, e.g. an address on its suppression list).</summary>
    Dropped,

    /// <summary>SendGrid refused the message when it was sent (e.g. 400 for an invalid address): the participant was not reached.</summary>
    Undeliverable,

    /// <summary>SendGrid did not answer in time: the message may or may not have gone out, and is not sent again.</summary>
    Unconfirmed,
}
