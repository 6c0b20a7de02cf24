using System.Globalization;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Localization;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Email;

/// <summary>
/// What the e-mails and the coordinator notices say, in one language: typed access to the <c>Mail*</c>, <c>Date*</c>,
/// <c>Month*</c>, <c>Kind*</c>, <c>Stance*</c> and <c>Message*</c> texts of <c>Localization/Texts.resx</c> and its
/// translations. The words live there; a method's parameters are the resource's <c>{0}</c>, <c>{1}</c>, ... in order.
/// </summary>
public sealed class EmailTexts(Texts texts)
{
    public static EmailTexts For(string? language) => new(Texts.For(language));

    public static IReadOnlyList<EmailTexts> All { get; } = [.. Texts.All.Select(t => new EmailTexts(t))];

    public string Language => texts.Language;

    /// <summary>A moment in Brussels time, written the way the language writes dates (its own month names: no ICU data needed).</summary>
    public string Format(DateTimeOffset instant)
    {
        var local = BrusselsTime.ToBrussels(instant);
        return texts.Format(
            "DateFormat",
            local.Day.ToString(CultureInfo.InvariantCulture),
            texts["Month" + local.Month.ToString("00", CultureInfo.InvariantCulture)],
            local.Year.ToString(CultureInfo.InvariantCulture),
            local.ToString("HH", CultureInfo.InvariantCulture),
            local.ToString("mm", CultureInfo.InvariantCulture));
    }

    public string KindName(MeetingKind kind) => texts[kind switch
    {
        MeetingKind.BoardMeeting => "KindBoardMeeting",
        MeetingKind.ExpertMeeting => "KindExpertMeeting",
        MeetingKind.Report => "KindReport",
        _ => "KindQuestionnaire",
    }];

    public string StanceName(PositionStance stance) => texts[stance switch
    {
        PositionStance.Agree => "StanceAgree",
        PositionStance.AgreeWithRemarks => "StanceAgreeWithRemarks",
        PositionStance.Objection => "StanceObjection",
        PositionStance.NotCompetent => "StanceNotCompetent",
        _ => "StanceNoReply",
    }];

    /// <summary>The e-mail a delivery notice is about; <paramref name="number"/> is the reminder number or the reply version.</summary>
    public string MessageName(MessageKind kind, int number) => kind switch
    {
        MessageKind.Request => texts["MessageRequest"],
        MessageKind.Reminder => texts.Format("MessageReminder", number),
        MessageKind.Receipt => texts.Format("MessageReceipt", number),
        MessageKind.FinalPosition => texts.Format("MessageFinalPosition", number),
        _ => texts["MessageOther"],
    };

    public string Greeting => texts["MailGreeting"];
    public string SignOff => texts["MailSignOff"];
    public string Automated => texts["MailAutomated"];
    public string AddressedTo => texts["MailAddressedTo"];
    public string Dossier => texts["MailDossier"];
    public string Organisation => texts["MailOrganisation"];
    public string Kind => texts["MailKind"];
    public string ItemCount => texts["MailItemCount"];
    public string Deadline => texts["MailDeadline"];
    public string ItemsHeading => texts["MailItemsHeading"];
    public string LinkIntro => texts["MailLinkIntro"];
    public string ReplyLinkLabel => texts["MailReplyLinkLabel"];
    public string Amend => texts["MailAmend"];
    public string Personal => texts["MailPersonal"];
    public string Silence => texts["MailSilence"];

    public string RequestSubject(string procedure, string title, string deadline) => texts.Format("MailRequestSubject", procedure, title, deadline);
    public string RequestIntro(string procedure) => texts.Format("MailRequestIntro", procedure);
    public string RoundLabel(int iteration) => texts.Format("MailRoundLabel", iteration);
    public string NextIterationIntro(string procedure, int iteration) => texts.Format("MailNextIterationIntro", procedure, iteration);
    public string ReminderSubject(int number, string title, string deadline) => texts.Format("MailReminderSubject", number, title, deadline);
    public string ReminderIntro => texts["MailReminderIntro"];
    public string ReceiptSubject(string title, int version) => texts.Format("MailReceiptSubject", title, version);
    public string ReceiptIntro(string receivedAt, int version) => texts.Format("MailReceiptIntro", receivedAt, version);
    public string ReceiptReplaces => texts["MailReceiptReplaces"];
    public string ItemHeader => texts["MailItemHeader"];
    public string StanceHeader => texts["MailStanceHeader"];
    public string RemarksHeader => texts["MailRemarksHeader"];
    public string ReceiptLinkLabel => texts["MailReceiptLinkLabel"];

    public string PositionReadySubject(string title, int version) => texts.Format("MailPositionReadySubject", title, version);
    public string PositionReadyIntro(string procedure, string title, int version) =>
        texts.Format("MailPositionReadyIntro", procedure, title, version);
    public string Consensus => texts["MailConsensus"];

    public string NoAgreement => texts["MailNoAgreement"];
    public string Divergence => texts["MailDivergence"];
    public string NoReplyFrom => texts["MailNoReplyFrom"];
    public string DivergentHeading => texts["MailDivergentHeading"];
    public string PositionLinkLabel => texts["MailPositionLinkLabel"];
    public string ReviewNote => texts["MailReviewNote"];
    public string StoppedSubject(string title) => texts.Format("MailStoppedSubject", title);
    public string StoppedIntro(string title, string failure) => texts.Format("MailStoppedIntro", title, failure);
    public string StoppedAdvice => texts["MailStoppedAdvice"];
    public string StuckSubject(string title) => texts.Format("MailStuckSubject", title);
    public string StuckIntro(string title, string workflow) => texts.Format("MailStuckIntro", title, workflow);
    public string FinalSubject(string title, int version) => texts.Format("MailFinalSubject", title, version);
    public string FinalIntro(string title, int version) => texts.Format("MailFinalIntro", title, version);

    /// <summary>What an item's outcome is called, in the words of the coordinator's notices.</summary>
    public string OutcomeName(ItemOutcome outcome) => outcome switch
    {
        ItemOutcome.Consensus => Consensus,
        ItemOutcome.Divergence => Divergence,
        _ => NoAgreement,
    };

    public string DistributedSubject(string procedure, string title, int version) =>
        texts.Format("MailDistributedSubject", procedure, title, version);
    public string DistributedIntro(string procedure, string title, int version, string attachment) =>
        texts.Format("MailDistributedIntro", procedure, title, version, attachment);
    public string OutcomeHeader => texts["MailOutcomeHeader"];
    public string ObjectionsHeader => texts["MailObjectionsHeader"];
    public string SettledHeader => texts["MailSettledHeader"];
    public string LeadHeader => texts["MailLeadHeader"];

    public string SettlementName(SettlementKind how) => texts[how switch
    {
        SettlementKind.Consensus => "SettlementConsensus",
        SettlementKind.Compromise => "SettlementCompromise",
        SettlementKind.Abstain => "SettlementAbstain",
        SettlementKind.LeadEntity => "SettlementLeadEntity",
        _ => "SettlementNoPosition",
    }];
    public string PermanentRepresentation => texts["MailPermanentRepresentation"];
    public string DistributedNote => texts["MailDistributedNote"];

    public string UndeliverableSubject(string name, string title) => texts.Format("MailUndeliverableSubject", name, title);
    public string UndeliverableIntro(string message, string name, string code, string title) =>
        texts.Format("MailUndeliverableIntro", message, name, code, title);
    public string Addresses => texts["MailAddresses"];
    public string Reason => texts["MailReason"];
    public string UndeliverableAdvice => texts["MailUndeliverableAdvice"];
    public string UnconfirmedSubject(string name, string title) => texts.Format("MailUnconfirmedSubject", name, title);
    public string UnconfirmedIntro(string message, string name, string code, string title) =>
        texts.Format("MailUnconfirmedIntro", message, name, code, title);
    public string UnconfirmedAdvice => texts["MailUnconfirmedAdvice"];
    public string StatusLinkLabel => texts["MailStatusLinkLabel"];

    public string ParentDeadlineNearSubject(string soiaTitle) => texts.Format("MailParentDeadlineNearSubject", soiaTitle);
    public string ParentDeadlineNearIntro(string soiaTitle, string parentTitle, string parentDeadline) =>
        texts.Format("MailParentDeadlineNearIntro", soiaTitle, parentTitle, parentDeadline);
    public string ParentDeadlineNearNoReply => texts["MailParentDeadlineNearNoReply"];
    public string ParentDeadlineNearSilence => texts["MailParentDeadlineNearSilence"];
    public string LateContributionSubject(string parentTitle) => texts.Format("MailLateContributionSubject", parentTitle);
    public string LateContributionIntro(string soiaTitle, string parentTitle) => texts.Format("MailLateContributionIntro", soiaTitle, parentTitle);
    public string LateContributionAdvice(string route) =>
        texts.Format("MailLateContributionAdvice", route, """{"decision": "accept"}""", """{"decision": "decline"}""");
    public string TooLateSubject(string soiaTitle) => texts.Format("MailTooLateSubject", soiaTitle);
    public string TooLateIntro(string soiaTitle, string parentTitle) => texts.Format("MailTooLateIntro", soiaTitle, parentTitle);
    public string TooLateAdvice => texts["MailTooLateAdvice"];
}
