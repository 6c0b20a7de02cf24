using MultilateralFlows.Email;
using MultilateralFlows.Localization;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Consolidation;

/// <summary>
/// The fixed words of a position document (Markdown and HTML) in one language: stances, outcomes, kinds of meeting and
/// settlements are written as words of that language, never as the code names the JSON keeps. Participants' remarks,
/// titles and settled texts are shown as they were written.
/// </summary>
public sealed class PositionTexts(Texts texts)
{
    public static PositionTexts English { get; } = For("en");

    /// <summary>nl, fr, de or en; anything else is English, as everywhere else (see <see cref="Texts.For"/>).</summary>
    public static PositionTexts For(string? language) => new(Texts.For(language));

    /// <summary>The languages a position can be read in, as the <c>lang</c> query names them.</summary>
    public static IReadOnlyList<string> Languages { get; } = [.. Texts.All.Select(t => t.Language)];

    public string Language => texts.Language;

    EmailTexts Words => new(texts);

    public string Procedure => texts["PositionProcedure"];
    public string Organisation => texts["PositionOrganisation"];
    public string Kind => texts["PositionKind"];
    public string Deadline => texts["PositionDeadline"];
    public string Status => texts["PositionStatus"];
    public string Silence => texts["PositionSilence"];
    public string SilenceText => texts["PositionSilenceText"];
    public string Summary => texts["PositionSummary"];
    public string Item => texts["PositionItem"];
    public string Competence => texts["PositionCompetence"];
    public string Lead => texts["PositionLead"];
    public string NotSettled => texts["PositionNotSettled"];
    public string Participant => texts["PositionParticipant"];
    public string Stance => texts["PositionStance"];
    public string Remarks => texts["PositionRemarks"];

    public string Date(DateTimeOffset instant) => Words.Format(instant);

    public string KindName(MeetingKind kind) => Words.KindName(kind);

    public string PageTitle(PositionDocument position) => texts.Format("PositionTitle", position.Title, position.Version);

    /// <summary>What the round ends in: the consolidated Belgian position or the Flemish one.</summary>
    public string ProcedureOutcome(PositionDocument position) => texts["PositionOutcome" + position.Procedure];

    public string StatusLine(PositionDocument position) => texts.Format(
        "PositionStatusLine",
        texts[position.Status == PositionStatus.Final ? "PositionStatusFinal" : "PositionStatusDraft"],
        position.Version,
        Date(position.AssembledAt));

    public string OutcomeName(ItemOutcome outcome) => texts["PositionOutcome" + outcome];

    public string CompetenceName(Rounds.Competence competence) => texts["PositionCompetence" + competence];

    /// <summary>A non-competent entity's stance is shown for what it says, and marked as not counting toward the outcome.</summary>
    public string StanceLabel(ParticipantStance stance)
    {
        var word = Words.StanceName(stance.Stance);
        return !stance.Competent ? texts.Format("PositionStanceNotCounted", word)
            : stance.Tacit ? texts.Format("PositionStanceTacit", word)
            : word;
    }

    public string NoReplyFrom(string participants) => texts.Format("PositionNoReplyFrom", participants);

    public string EveryoneReplied => texts["PositionEveryoneReplied"];

    public string SummaryOf(PositionDocument position)
    {
        var items = position.Items;
        var total = items.Count;
        var consensus = items.Count(i => i.Outcome == ItemOutcome.Consensus);
        var parts = new List<string>
        {
            consensus == total ? texts.Format("PositionSummaryAll", total) : texts.Format("PositionSummarySome", consensus, total),
        };
        void Add(string key, int count)
        {
            if (count > 0)
            {
                parts.Add(texts.Format(key, count));
            }
        }

        Add("PositionSummaryDivergence", items.Count(i => i.Outcome == ItemOutcome.Divergence));
        Add("PositionSummaryNoAgreement", items.Count(i => i.Outcome == ItemOutcome.NoAgreement));
        Add("PositionSummarySettled", items.Count(i => i.Settlement is not null));
        Add("PositionSummaryToSettle", items.Count(i => i.AwaitsSettlement));
        return string.Join("; ", parts);
    }

    /// <summary>
    /// How an item was settled, in a sentence whose subject is the one the round speaks for: Belgium in COORMULTI,
    /// Flanders in SOIA.
    /// </summary>
    public string SettlementLabel(PositionDocument position, ItemSettlement settlement)
    {
        var who = texts[position.Procedure == Rounds.Procedure.SOIA ? "PositionFlanders" : "PositionBelgium"];
        var what = settlement.How switch
        {
            SettlementKind.Consensus when settlement.Text is null => texts["PositionSettledConsensusDraft"],
            SettlementKind.Consensus => texts["PositionSettledConsensus"],
            SettlementKind.Compromise => texts["PositionSettledCompromise"],
            SettlementKind.Abstain => texts.Format("PositionSettledAbstain", who),
            SettlementKind.LeadEntity => texts.Format(
                "PositionSettledLead", settlement.LeadEntityName ?? settlement.LeadEntity, settlement.LeadEntity, who),
            _ => texts.Format("PositionSettledNoPosition", who),
        };
        return texts.Format(
            "PositionSettledDetail", what, Words.SettlementName(settlement.How), Date(settlement.SettledAt), settlement.DraftVersion);
    }
}
