using MultilateralFlows.Email;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Tells the round's coordinator something by e-mail, exactly once per notice (round, kind, message number, participant):
/// a draft position is ready (message number: its version), the position is final (message number: its version), or a
/// participant could not be reached (Undeliverable/Unconfirmed, 0), or the round's workflow stopped (Stopped, message
/// number: the iteration). Returns whether the mail service took the notice, now or in an earlier attempt.
/// </summary>
public sealed class NotifyCoordinator(CoordinatorNotices notices) : IWorkflowActivity<CoordinatorNotice, bool>
{
    public async Task<bool> RunAsync(CoordinatorNotice input, CancellationToken cancellationToken = default)
    {
        var delivery = input.Kind == NoticeKind.Stopped
            ? await notices.SendStoppedAsync(input.RoundId, input.MessageNumber, input.Detail ?? "", cancellationToken)
            : await notices.SendAsync(input.RoundId, input.Kind, input.MessageNumber, input.Participant, cancellationToken);
        return delivery.Accepted;
    }
}
