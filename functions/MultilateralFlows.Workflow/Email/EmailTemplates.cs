using System.Globalization;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Email;

/// <summary>Who a participant e-mail is for: the directory name and the language it is written in.</summary>
public sealed record Addressee(string Code, string Name, string Language)
{
    public static Addressee Of(RequestRow request) => new(request.Participant, request.Name, request.Language);
}

/// <summary>A participant e-mail that did not (or may not have) come through, as a coordinator notice reports it.</summary>
/// <param name="Number">The number people know the e-mail by (<see cref="EmailTexts.MessageName"/>), not its message number.</param>
public sealed record DeliveryProblem(string Participant, string Name, IReadOnlyList<string> Addresses, MessageKind Kind, int Number, string? Reason);

/// <summary>
/// The e-mails of MultilateralFlows: to participants in their directory language (request, reminder, receipt), to the
/// coordinator in the configured language (position ready, final, undeliverable, unconfirmed). Titles, names, remarks
/// and reasons are user-written or come from outside: <see cref="MailBody"/> encodes them in the HTML body.
/// </summary>
public static class EmailTemplates
{
    /// <summary>The request or a reminder (number 1): kept for callers that have a request row at hand.</summary>
    public static EmailContent ForParticipant(MessageKind kind, RoundDefinition round, RequestRow request, string link) => kind switch
    {
        MessageKind.Request => Request(round, Addressee.Of(request), link),
        MessageKind.Reminder => Reminder(round, Addressee.Of(request), link, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Receipts need the contribution; notices go to the coordinator."),
    };

    /// <summary>
    /// The request with the reply link. From the second iteration on (the coordinator reopened the divergent items) it
    /// says so and lists only the <paramref name="openItems"/>.
    /// </summary>
    public static EmailContent Request(
        RoundDefinition round, Addressee to, string link, int iteration = 1, IReadOnlyList<AgendaItem>? openItems = null)
    {
        var t = EmailTexts.For(to.Language);
        var deadline = t.Format(round.Deadline);
        var procedure = round.Procedure.ToString();
        var body = new MailBody(t.Language)
            .Paragraph(t.Greeting)
            .Paragraph(iteration > 1 ? t.NextIterationIntro(procedure, iteration) : t.RequestIntro(procedure));
        Details(body, t, round, to, deadline)
            .List(t.ItemsHeading, (openItems ?? round.Items).Select(i => $"{i.Id}. {i.Title}").ToList())
            .Link(t.LinkIntro, t.ReplyLinkLabel, link)
            .Paragraph(t.Amend);
        var tag = iteration > 1 ? $"{procedure}, {t.RoundLabel(iteration)}" : procedure;
        return Close(body, t, round, personalLink: true).Build(t.RequestSubject(tag, round.Title, deadline));
    }

    public static EmailContent Reminder(RoundDefinition round, Addressee to, string link, int number)
    {
        var t = EmailTexts.For(to.Language);
        var deadline = t.Format(round.Deadline);
        var body = new MailBody(t.Language)
            .Paragraph(t.Greeting)
            .Paragraph(t.ReminderIntro);
        Details(body, t, round, to, deadline)
            .Link(t.LinkIntro, t.ReplyLinkLabel, link)
            .Paragraph(t.Amend);
        return Close(body, t, round, personalLink: true).Build(t.ReminderSubject(number, round.Title, deadline));
    }

    public static EmailContent Receipt(RoundDefinition round, Addressee to, string link, Contribution contribution)
    {
        var t = EmailTexts.For(to.Language);
        var titles = round.Items.ToDictionary(i => i.Id, i => $"{i.Id}. {i.Title}", StringComparer.Ordinal);
        var intro = t.ReceiptIntro(t.Format(contribution.SubmittedAt), contribution.Version);
        var body = new MailBody(t.Language)
            .Paragraph(t.Greeting)
            .Paragraph(contribution.Version > 1 ? $"{intro} {t.ReceiptReplaces}" : intro);
        Details(body, t, round, to, t.Format(round.Deadline))
            .Table(
                [t.ItemHeader, t.StanceHeader, t.RemarksHeader],
                contribution.Items.Select(reply => (IReadOnlyList<string?>)
                [
                    titles.GetValueOrDefault(reply.ItemId, reply.ItemId),
                    t.StanceName(reply.Stance.InPosition()),
                    reply.Remarks,
                ]))
            .Link(t.Amend, t.ReceiptLinkLabel, link);
        return Close(body, t, round, personalLink: true).Build(t.ReceiptSubject(round.Title, contribution.Version));
    }

    public static EmailContent PositionReady(RoundDefinition round, string language, PositionDocument position, string positionLink)
    {
        var t = EmailTexts.For(language);
        var divergent = position.Items.Where(i => i.Outcome == ItemOutcome.Divergence).ToList();
        var noAgreement = position.Items.Count(i => i.Outcome == ItemOutcome.NoAgreement);
        var consensus = position.Items.Count(i => i.Outcome == ItemOutcome.Consensus);
        var missing = position.Items.SelectMany(i => i.Missing).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var facts = new List<(string, string)>
        {
            (t.Dossier, round.Title),
            (t.Organisation, round.Organisation),
            (t.Deadline, t.Format(round.Deadline)),
            (t.Consensus, Count(consensus, position.Items.Count)),
            (t.Divergence, Count(divergent.Count, position.Items.Count)),
        };
        if (noAgreement > 0)
        {
            facts.Add((t.NoAgreement, Count(noAgreement, position.Items.Count)));
        }

        if (missing.Count > 0)
        {
            facts.Add((t.NoReplyFrom, string.Join(", ", missing)));
        }

        return new MailBody(t.Language)
            .Paragraph(t.PositionReadyIntro(round.Procedure.ToString(), round.Title, position.Version))
            .Facts(facts)
            .List(t.DivergentHeading, divergent.Select(i => $"{i.ItemId}. {i.Title}").ToList())
            .Link(t.ReviewNote, t.PositionLinkLabel, positionLink)
            .Note("MultilateralFlows")
            .Build(t.PositionReadySubject(round.Title, position.Version));
    }

    public static EmailContent Final(RoundDefinition round, string language, int version, string positionLink)
    {
        var t = EmailTexts.For(language);
        return new MailBody(t.Language)
            .Paragraph(t.FinalIntro(round.Title, version))
            .Facts([(t.Dossier, round.Title), (t.Organisation, round.Organisation)])
            .Link(t.PositionLinkLabel + ":", t.PositionLinkLabel, positionLink)
            .Note("MultilateralFlows")
            .Build(t.FinalSubject(round.Title, version));
    }

    /// <summary>
    /// The approved position, to a participant or to an address of the permanent representation, in its language: per item
    /// the outcome and who objected; the complete document is attached as <paramref name="attachmentName"/> (it holds every
    /// stance and remark). No link: the position's route is the coordinator's, behind the API's keys.
    /// </summary>
    public static EmailContent FinalPosition(RoundDefinition round, Addressee to, PositionDocument position, string attachmentName)
    {
        var t = EmailTexts.For(to.Language);
        var procedure = round.Procedure.ToString();
        var body = new MailBody(t.Language)
            .Paragraph(t.Greeting)
            .Paragraph(t.DistributedIntro(procedure, round.Title, position.Version, attachmentName))
            .Facts(
            [
                (t.AddressedTo, to.Name),
                (t.Dossier, round.Title),
                (t.Organisation, round.Organisation),
                (t.Kind, t.KindName(round.Kind)),
            ])
            .Table(
                [t.ItemHeader, t.OutcomeHeader, t.ObjectionsHeader, t.SettledHeader, t.LeadHeader],
                position.Items.Select(item => (IReadOnlyList<string?>)
                [
                    $"{item.ItemId}. {item.Title}",
                    t.OutcomeName(item.Outcome),
                    // The objections that count: an entity not competent for the item does not block it.
                    string.Join(", ", item.Stances.Where(s => s.Competent && s.Stance == PositionStance.Objection).Select(s => s.Name)),
                    // What the delegation says on a settled item is the point of the mail: the way and the agreed text.
                    item.Settlement is { } settled
                        ? string.Join("\n", new[] { t.SettlementName(settled.How), settled.Text }.Where(part => part is not null))
                        : null,
                    item.Settlement?.LeadEntityName ?? item.LeadName,
                ]))
            .Paragraph(t.DistributedNote)
            .Paragraph(t.SignOff)
            .Note(t.Automated);
        return body.Build(t.DistributedSubject(procedure, round.Title, position.Version));
    }

    /// <summary>The round's workflow stopped on an error past its retries: what failed, that nothing stored is lost, who can help.</summary>
    public static EmailContent Stopped(RoundDefinition round, string language, string failure, string statusLink)
    {
        var t = EmailTexts.For(language);
        return WorkflowNotRunning(t, round, t.StoppedIntro(round.Title, failure), t.StoppedSubject(round.Title), statusLink);
    }

    /// <summary>The round is open but no workflow runs it: how the workflow was found, that nothing stored is lost, who can help.</summary>
    public static EmailContent Stuck(RoundDefinition round, string language, string workflow, string statusLink)
    {
        var t = EmailTexts.For(language);
        return WorkflowNotRunning(t, round, t.StuckIntro(round.Title, workflow), t.StuckSubject(round.Title), statusLink);
    }

    /// <summary>A round no workflow runs any more, however it came to that: the same facts and advice, a different intro.</summary>
    static EmailContent WorkflowNotRunning(EmailTexts t, RoundDefinition round, string intro, string subject, string statusLink) =>
        new MailBody(t.Language)
            .Paragraph(intro)
            .Facts([(t.Dossier, round.Title), (t.Organisation, round.Organisation)])
            .Paragraph(t.StoppedAdvice)
            .Link(t.StatusLinkLabel + ":", t.StatusLinkLabel, statusLink)
            .Note("MultilateralFlows")
            .Build(subject);

    /// <summary>
    /// To both coordinators: the linked SOIA round is not approved and the COORMULTI round's replies close soon; what
    /// happens to Flanders' voice if it stays so, and where to act.
    /// </summary>
    public static EmailContent ParentDeadlineNear(RoundDefinition soia, RoundDefinition parent, string language, string statusLink)
    {
        var t = EmailTexts.For(language);
        return AboutFlandersReply(
            t, parent, t.ParentDeadlineNearIntro(soia.Title, parent.Title, t.Format(parent.Deadline)),
            parent.SilenceProcedure ? t.ParentDeadlineNearSilence : t.ParentDeadlineNearNoReply,
            t.ParentDeadlineNearSubject(soia.Title), statusLink, withDeadline: true);
    }

    /// <summary>To the COORMULTI coordinator: Flanders' position came after replies closed and waits for their decision.</summary>
    public static EmailContent LateContribution(RoundDefinition parent, RoundDefinition soia, string language, string statusLink)
    {
        var t = EmailTexts.For(language);
        return AboutFlandersReply(
            t, parent, t.LateContributionIntro(soia.Title, parent.Title),
            t.LateContributionAdvice($"/api/rounds/{parent.Id}/late-contributions/{RoundRouting.Flanders}"),
            t.LateContributionSubject(parent.Title), statusLink);
    }

    /// <summary>To the SOIA coordinator: the approved position came after the COORMULTI round had ended, and was not submitted.</summary>
    public static EmailContent TooLate(RoundDefinition soia, RoundDefinition parent, string language, string statusLink)
    {
        var t = EmailTexts.For(language);
        return AboutFlandersReply(
            t, parent, t.TooLateIntro(soia.Title, parent.Title), t.TooLateAdvice, t.TooLateSubject(soia.Title), statusLink);
    }

    /// <summary>
    /// A notice about Flanders' reply in a COORMULTI round (warned, late, too late): what happened, the COORMULTI dossier
    /// (with its deadline where that is the point), what to do, and the round's status link.
    /// </summary>
    static EmailContent AboutFlandersReply(
        EmailTexts t, RoundDefinition parent, string intro, string advice, string subject, string statusLink, bool withDeadline = false)
    {
        List<(string, string)> facts = [(t.Dossier, parent.Title), (t.Organisation, parent.Organisation)];
        if (withDeadline)
        {
            facts.Add((t.Deadline, t.Format(parent.Deadline)));
        }

        return new MailBody(t.Language)
            .Paragraph(intro)
            .Facts(facts)
            .Paragraph(advice)
            .Link(t.StatusLinkLabel + ":", t.StatusLinkLabel, statusLink)
            .Note("MultilateralFlows")
            .Build(subject);
    }

    public static EmailContent Undeliverable(RoundDefinition round, string language, DeliveryProblem problem, string statusLink)
    {
        var t = EmailTexts.For(language);
        return DeliveryNotice(
            t, problem, statusLink, t.UndeliverableIntro, t.UndeliverableAdvice, t.UndeliverableSubject(problem.Name, round.Title), round);
    }

    public static EmailContent Unconfirmed(RoundDefinition round, string language, DeliveryProblem problem, string statusLink)
    {
        var t = EmailTexts.For(language);
        return DeliveryNotice(
            t, problem, statusLink, t.UnconfirmedIntro, t.UnconfirmedAdvice, t.UnconfirmedSubject(problem.Name, round.Title), round);
    }

    /// <summary>A notice that a message to a participant did not (or may not have) come through: what, to whom, why, and what to do.</summary>
    static EmailContent DeliveryNotice(
        EmailTexts t,
        DeliveryProblem problem,
        string statusLink,
        Func<string, string, string, string, string> intro,
        string advice,
        string subject,
        RoundDefinition round) =>
        new MailBody(t.Language)
            .Paragraph(intro(t.MessageName(problem.Kind, problem.Number), problem.Name, problem.Participant, round.Title))
            .Facts(ProblemFacts(t, problem))
            .Paragraph(advice)
            .Link(t.StatusLinkLabel + ":", t.StatusLinkLabel, statusLink)
            .Note("MultilateralFlows")
            .Build(subject);

    static MailBody Details(MailBody body, EmailTexts t, RoundDefinition round, Addressee to, string deadline) =>
        body.Facts(
        [
            (t.AddressedTo, to.Name),
            (t.Dossier, round.Title),
            (t.Organisation, round.Organisation),
            (t.Kind, t.KindName(round.Kind)),
            (t.ItemCount, round.Items.Count.ToString(CultureInfo.InvariantCulture)),
            (t.Deadline, deadline),
        ]);

    static MailBody Close(MailBody body, EmailTexts t, RoundDefinition round, bool personalLink)
    {
        if (round.SilenceProcedure)
        {
            body.Paragraph(t.Silence);
        }

        if (personalLink)
        {
            body.Note(t.Personal);
        }

        return body.Paragraph(t.SignOff).Note(t.Automated);
    }

    static List<(string, string)> ProblemFacts(EmailTexts t, DeliveryProblem problem)
    {
        var facts = new List<(string, string)> { (t.Addresses, problem.Addresses.Count == 0 ? "—" : string.Join(", ", problem.Addresses)) };
        if (!string.IsNullOrWhiteSpace(problem.Reason))
        {
            facts.Add((t.Reason, problem.Reason));
        }

        return facts;
    }

    static string Count(int part, int whole) => $"{part.ToString(CultureInfo.InvariantCulture)} / {whole.ToString(CultureInfo.InvariantCulture)}";
}
