using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email.Ledger;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Email;

/// <summary>
/// Writes and sends the notices to a round's coordinator, each exactly once through the <see cref="SendLedger"/>:
/// position ready and final (message number: the position version), a participant undeliverable or unconfirmed (0:
/// one notice per participant and round, however many of its messages fail). Used by the NotifyCoordinator activity
/// and by SendEmails when a participant cannot be reached.
/// </summary>
public sealed class CoordinatorNotices(
    RoundStore rounds,
    RequestStore requests,
    AuditLog audit,
    PositionStore positions,
    SendLedgerStore ledgerRows,
    SendLedger ledger,
    IOptions<EmailOptions> email,
    IOptions<LinkOptions> links,
    ILogger<CoordinatorNotices> logger)
{
    public async Task<EmailDelivery> SendAsync(
        string roundId, NoticeKind notice, int messageNumber, string? participant, CancellationToken cancellationToken)
    {
        if (notice is NoticeKind.Undeliverable or NoticeKind.Unconfirmed && string.IsNullOrEmpty(participant))
        {
            throw new ArgumentException($"A {notice} notice names the participant it is about.", nameof(participant));
        }

        var key = EmailKey.ForNotice(roundId, notice, messageNumber, participant);
        if (await SettledAsync(key, cancellationToken) is { } settled)
        {
            return settled;
        }

        var round = await RoundAsync(roundId, cancellationToken);
        var language = LanguageOf(round);
        var roundUrl = links.Value.RoundUrl(roundId);
        var content = notice switch
        {
            NoticeKind.PositionReady => EmailTemplates.PositionReady(
                round, language, await PositionAsync(roundId, messageNumber, cancellationToken), $"{roundUrl}/position?format=html"),
            NoticeKind.PositionFinal => EmailTemplates.Final(round, language, messageNumber, $"{roundUrl}/position?format=html"),
            NoticeKind.Undeliverable => EmailTemplates.Undeliverable(
                round, language, await ProblemAsync(roundId, participant!, Undeliverable, cancellationToken), roundUrl),
            NoticeKind.Unconfirmed => EmailTemplates.Unconfirmed(
                round,
                language,
                await ProblemAsync(roundId, participant!, row => row.SendState == SendState.Unconfirmed, cancellationToken),
                roundUrl),
            _ => throw new ArgumentException($"A {notice} notice is sent by its own method.", nameof(notice)),
        };

        var delivery = await SendOnceAsync(key, round.CoordinatorEmail, content, cancellationToken);
        if (delivery.Now)
        {
            logger.LogInformation("Round {RoundId}: {Notice} notice to the coordinator {Outcome}", roundId, notice, delivery.State);
        }

        if (delivery.State != SendState.Sent)
        {
            // Nobody else to tell: the round status and the audit trail keep it.
            logger.LogError(
                "Round {RoundId}: the {Notice} notice could not be delivered to the coordinator: {Detail}", roundId, notice, delivery.Detail);
        }

        return delivery;
    }

    /// <summary>
    /// The round's workflow stopped: the audit says what failed, and the coordinator is told; for a linked SOIA round, the
    /// COORMULTI round's audit and coordinator too (Flanders' reply is what is at stake there). Each notice once.
    /// </summary>
    public async Task<EmailDelivery> SendStoppedAsync(string roundId, int iteration, string failure, CancellationToken cancellationToken)
    {
        var round = await RoundAsync(roundId, cancellationToken);
        return await ToCoordinatorsAsync(
            round,
            (noticeRoundId, participant, coordinators) =>
            {
                // The parent's audit says which linked round stopped: Flanders' reply to it is what is at stake.
                var (action, detail) = participant is null
                    ? ("WorkflowStopped", failure)
                    : ("LinkedRoundStopped", $"The linked SOIA round {roundId}, where Flanders agrees its reply, stopped: {failure}");
                var key = EmailKey.ForNotice(noticeRoundId, NoticeKind.Stopped, iteration, participant);
                return SendStoppedOnceAsync(round, key, coordinators, noticeRoundId, action, detail, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// The watchdog found the round open but its workflow not running (<paramref name="workflow"/> says how, in English):
    /// the coordinator is told once per iteration, and for a linked SOIA round the COORMULTI round's coordinator too,
    /// unless a "round stopped" notice of this iteration already told them (the workflow failed on an activity and said
    /// so itself). The watchdog writes the audit entries when it records the round.
    /// </summary>
    public async Task<EmailDelivery?> SendStuckAsync(string roundId, int iteration, string workflow, CancellationToken cancellationToken)
    {
        var round = await RoundAsync(roundId, cancellationToken);
        return await ToCoordinatorsAsync(
            round,
            (noticeRoundId, participant, coordinators) =>
                SendStuckOnceAsync(round, noticeRoundId, iteration, participant, coordinators, workflow, cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// The linked SOIA round <paramref name="soiaRoundId"/> is not approved and its COORMULTI round's deadline is close:
    /// both coordinators are told, once (message number 1). Nothing is sent where there is nothing left to warn about:
    /// the SOIA round has ended, or the COORMULTI round has ended or closed its replies (its deadline was moved earlier).
    /// </summary>
    public async Task<EmailDelivery?> SendParentDeadlineNearAsync(string soiaRoundId, CancellationToken cancellationToken)
    {
        var soia = await rounds.GetAsync(soiaRoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {soiaRoundId} is not stored.");
        if (soia.Definition.ParentRoundId is not { } parentId
            || await rounds.GetAsync(parentId, cancellationToken) is not { } parent
            || !soia.IsActive
            || !parent.IsActive
            || parent.CollectionClosedAt is not null)
        {
            logger.LogInformation("Round {RoundId}: no warning before the parent round's deadline: nothing left to warn about", soiaRoundId);
            return null;
        }

        return await ToCoordinatorsAsync(
            soia.Definition,
            (noticeRoundId, participant, coordinators) =>
                SendOnceAsync(
                    EmailKey.ForNotice(noticeRoundId, NoticeKind.ParentDeadlineNear, 1, participant),
                    coordinators.CoordinatorEmail,
                    EmailTemplates.ParentDeadlineNear(
                        soia.Definition, parent.Definition, LanguageOf(coordinators), links.Value.RoundUrl(soiaRoundId)),
                    cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// To the COORMULTI round's coordinator, in its ledger under Flanders, once per linked round: Flanders' position from
    /// <paramref name="soia"/> came after replies closed and is held for their decision.
    /// </summary>
    public Task<EmailDelivery> SendLateContributionAsync(
        RoundDefinition parent, RoundDefinition soia, int linkedIteration, CancellationToken cancellationToken)
    {
        var content = EmailTemplates.LateContribution(parent, soia, LanguageOf(parent), links.Value.RoundUrl(parent.Id));
        var key = EmailKey.ForNotice(parent.Id, NoticeKind.LateContribution, linkedIteration, RoundRouting.Flanders);
        return SendOnceAsync(key, parent.CoordinatorEmail, content, cancellationToken);
    }

    /// <summary>To the SOIA round's coordinator, once per position version: it was approved after the COORMULTI round had ended.</summary>
    public Task<EmailDelivery> SendTooLateAsync(
        RoundDefinition soia, RoundDefinition parent, int positionVersion, CancellationToken cancellationToken)
    {
        var content = EmailTemplates.TooLate(soia, parent, LanguageOf(soia), links.Value.RoundUrl(soia.Id));
        var key = EmailKey.ForNotice(soia.Id, NoticeKind.TooLate, positionVersion, null);
        return SendOnceAsync(key, soia.CoordinatorEmail, content, cancellationToken);
    }

    /// <summary>The language a round's coordinator reads its notices in: the round's own, else the setting.</summary>
    string LanguageOf(RoundDefinition round) => round.CoordinatorLanguage ?? email.Value.CoordinatorLanguage;

    /// <summary>
    /// Sends a notice about <paramref name="round"/> to its coordinator, in its own ledger; then, for a linked SOIA round,
    /// to the COORMULTI round's coordinator, in that round's ledger under Flanders (whose reply is what is at stake).
    /// <paramref name="send"/> is given the ledger's round, the participant the notice is filed under, and the round whose
    /// coordinator reads it (its address and language). Returns what became of the round's own notice.
    /// </summary>
    async Task<T> ToCoordinatorsAsync<T>(
        RoundDefinition round, Func<string, string?, RoundDefinition, Task<T>> send, CancellationToken cancellationToken)
    {
        var own = await send(round.Id, null, round);
        if (round.ParentRoundId is { } parentId && await rounds.GetAsync(parentId, cancellationToken) is { } parent)
        {
            await send(parentId, RoundRouting.Flanders, parent.Definition);
        }

        return own;
    }

    /// <summary>
    /// The notice about <paramref name="round"/> in <paramref name="noticeRoundId"/>'s ledger, to the coordinator of
    /// <paramref name="coordinators"/>, in their language.
    /// </summary>
    async Task<EmailDelivery?> SendStuckOnceAsync(
        RoundDefinition round, string noticeRoundId, int iteration, string? participant, RoundDefinition coordinators, string workflow,
        CancellationToken cancellationToken)
    {
        var key = EmailKey.ForNotice(noticeRoundId, NoticeKind.Stuck, iteration, participant);
        if (await SettledAsync(key, cancellationToken) is { } settled)
        {
            return settled;
        }

        if (await SettledAsync(EmailKey.ForNotice(noticeRoundId, NoticeKind.Stopped, iteration, participant), cancellationToken) is not null)
        {
            return null;
        }

        var content = EmailTemplates.Stuck(round, LanguageOf(coordinators), workflow, links.Value.RoundUrl(round.Id));
        var delivery = await SendOnceAsync(key, coordinators.CoordinatorEmail, content, cancellationToken);
        if (delivery.Now)
        {
            logger.LogInformation("Round {RoundId}: {Notice} notice to the coordinator {Outcome}", noticeRoundId, NoticeKind.Stuck, delivery.State);
        }

        return delivery;
    }

    /// <summary>
    /// The audit entry in <paramref name="auditRoundId"/>, and the notice about <paramref name="round"/> to the coordinator
    /// of <paramref name="coordinators"/>, in their language.
    /// </summary>
    async Task<EmailDelivery> SendStoppedOnceAsync(
        RoundDefinition round,
        EmailKey key,
        RoundDefinition coordinators,
        string auditRoundId,
        string action,
        string failure,
        CancellationToken cancellationToken)
    {
        if (await SettledAsync(key, cancellationToken) is { } settled)
        {
            return settled;
        }

        await audit.AppendAsync(auditRoundId, action, "workflow", failure, cancellationToken);
        logger.LogError("Round {RoundId}: {Action}: {Failure}", auditRoundId, action, failure);
        var content = EmailTemplates.Stopped(round, LanguageOf(coordinators), failure, links.Value.RoundUrl(round.Id));
        return await SendOnceAsync(key, coordinators.CoordinatorEmail, content, cancellationToken);
    }

    /// <summary>How the notice ended if it has (sent, refused, or unconfirmed), so it is not written and sent again.</summary>
    async Task<EmailDelivery?> SettledAsync(EmailKey key, CancellationToken cancellationToken) =>
        await ledger.FindAsync(key, cancellationToken) is { } row && row.SendState.IsSettled()
            ? new EmailDelivery(key, row.SendState, Now: false, row.Detail)
            : null;

    async Task<RoundDefinition> RoundAsync(string roundId, CancellationToken cancellationToken) =>
        (await rounds.GetAsync(roundId, cancellationToken) ?? throw new InvalidOperationException($"Round {roundId} is not stored.")).Definition;

    Task<EmailDelivery> SendOnceAsync(EmailKey key, string coordinator, EmailContent content, CancellationToken cancellationToken) =>
        ledger.SendOnceAsync(
            new EmailMessage(key, [coordinator], ReplyTo: null, content.Subject, content.PlainText, content.Html), cancellationToken);

    async Task<PositionDocument> PositionAsync(string roundId, int version, CancellationToken cancellationToken) =>
        await positions.ReadDocumentAsync(roundId, version, cancellationToken)
            ?? throw new InvalidOperationException($"Round {roundId} has no position version {version} yet.");

    /// <summary>Refused by SendGrid, or taken by it and then bounced or dropped for every address.</summary>
    static bool Undeliverable(EmailRow row) =>
        row.SendState == SendState.Rejected || row.Delivery is nameof(DeliveryState.Bounced) or nameof(DeliveryState.Dropped);

    /// <summary>The participant's latest message that failed as <paramref name="failedAs"/> says: what the notice reports.</summary>
    async Task<DeliveryProblem> ProblemAsync(string roundId, string participant, Func<EmailRow, bool> failedAs, CancellationToken cancellationToken)
    {
        var request = await requests.GetAsync(roundId, participant, cancellationToken);
        var failed = (await ledgerRows.GetForParticipantAsync(roundId, participant, cancellationToken))
            .Where(r => failedAs(r) && r.Kind != nameof(MessageKind.CoordinatorNotice))
            .OrderBy(r => r.ClaimedAt)
            .LastOrDefault()
            ?? throw new InvalidOperationException($"Round {roundId}: no e-mail to {participant} failed; there is nothing to report.");
        return new DeliveryProblem(
            participant,
            request?.Name ?? participant,
            failed.Recipients.Split(';', StringSplitOptions.RemoveEmptyEntries),
            Enum.Parse<MessageKind>(failed.Kind),
            failed.Kind == nameof(MessageKind.Reminder) ? EmailKey.ReminderNumber(failed.Sequence) : failed.Sequence,
            failed.SendState == SendState.Sent ? failed.DeliveryDetail : failed.Detail);
    }
}
