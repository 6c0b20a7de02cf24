using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Localization;

namespace MultilateralFlows.Replies;

/// <summary>
/// What the reply pages say, in the participant's language: the form, the confirmation, and the checks on a submitted
/// reply (the <c>Page*</c> and <c>Check*</c> texts of <c>Localization/Texts.resx</c> and its translations). Dates and
/// kinds come from <see cref="Mail"/>, so page and e-mail agree. Texts marked HTML in the resources carry markup; their
/// values are encoded by the caller.
/// </summary>
public sealed class ReplyPageTexts(Texts texts)
{
    public static ReplyPageTexts English { get; } = For("en");

    public static ReplyPageTexts For(string? language) => new(Texts.For(language));

    public string Language => texts.Language;

    public EmailTexts Mail => new(texts);

    public string Consultation(string procedure) => texts.Format("PageConsultation", procedure);
    public string ReplyFor(string nameHtml, string deadlineHtml) => texts.Format("PageReplyFor", nameHtml, deadlineHtml);
    public string Iteration(int iteration) => texts.Format("PageIteration", iteration);
    public string Prefilled(int version) => texts.Format("PagePrefilled", version);
    public string NotRecorded => texts["PageNotRecorded"];

    // A choice in the form, named after the enum member; the e-mails name stances in words of their own (Stance* keys).
    public string StanceLabel(Stance stance) => texts["PageChoice" + stance];

    public string StanceHint(Stance stance) => texts["PageChoice" + stance + "Hint"];

    public string Competence(Rounds.Competence competence) => texts["PageCompetence" + competence];

    public string Lead(string name) => texts.Format("PageLead", name);
    public string NotCompetent => texts["PageNotCompetent"];
    public string RemarksLabel => texts["PageRemarksLabel"];
    public string Send => texts["PageSend"];
    public string SendAmended => texts["PageSendAmended"];
    public string Recorded => texts["PageRecorded"];
    public string RecordedDetail(string nameHtml, string titleHtml, int version, string receivedAtHtml) =>
        texts.Format("PageRecordedDetail", nameHtml, titleHtml, version, receivedAtHtml);
    public string Item => texts["PageItem"];
    public string Stance => texts["PageStance"];
    public string Remarks => texts["PageRemarks"];
    public string AmendUntil(string deadline) => texts.Format("PageAmendUntil", deadline);
    public string ClosedTitle => texts["PageClosedTitle"];
    public string ClosedText(string titleHtml) => texts.Format("PageClosedText", titleHtml);

    // The checks on a reply, as a desk officer reads them in the form.
    public string ChooseStance => texts["CheckChooseStance"];
    public string ExplainObjection => texts["CheckExplainObjection"];
    public string GiveRemarks => texts["CheckGiveRemarks"];
    public string TooLong(int max, int actual) => texts.Format("CheckTooLong", max, actual);
    public string ControlCharacters => texts["CheckControlCharacters"];
    public string NotReopened(string item) => texts.Format("CheckNotReopened", item);
    public string Missing(string items) => texts.Format("CheckMissing", items);
    public string AtLeastOne => texts["CheckAtLeastOne"];
    public string SendAgain => texts["PageSendAgain"];
    public string NotConfirmed => texts["PageNotConfirmed"];
    public string TooManyVersions(int most) => texts.Format("PageTooManyVersions", most);
}
