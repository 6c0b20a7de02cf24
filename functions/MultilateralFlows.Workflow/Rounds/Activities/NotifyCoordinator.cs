using MultilateralFlows.Email;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>
/// Tells the round's coordinator something by e-mail, exactly once per notice (round, kind, message number, participant):
/// a draft position is ready (message number: its version), the position is final (message number: its version), or a
/// participant could not be reached (Undeliverable/Unconfirmed, 0), or the round's workflow stopped (Stopped, message
/// number: the iteration), or a linked SOIA round is not approved close to its COORMULTI round's deadline
/// (ParentDeadlineNear, 1: to both coordinators). Returns whether the mail service took the notice, now or in an earlier
/// attempt (true when there was nothing left to warn about).
/// </summary>
public sealed class NotifyCoordinator(CoordinatorNotices notices) : IWorkflowActivity<CoordinatorNotice, bool>
{
    public async Task<bool> RunAsync(CoordinatorNotice input, CancellationToken cancellationToken = default)
    {
        var delivery = input.Kind switch
        {
            NoticeKind.Stopped => await notices.SendStoppedAsync(input.RoundId, input.MessageNumber, input.Detail ?? "", cancellationToken),
            NoticeKind.ParentDeadlineNear => await notices.SendParentDeadlineNearAsync(input.RoundId, cancellationToken),
            _ => await notices.SendAsync(input.RoundId, input.Kind, input.MessageNumber, input.Participant, cancellationToken),
        };
        return delivery?.Accepted ?? true;
    }
}
