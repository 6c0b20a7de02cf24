using MultilateralFlows.Consolidation;
using MultilateralFlows.Localization;

namespace MultilateralFlows.Pages.Console;

/// <summary>
/// The replies on one item so far, counted per stance of each round participant (Flanders answering for its areas
/// counts once, with its combined stance). Silence under the silence procedure is counted apart from a real agreement.
/// </summary>
public sealed record RoundPageTally(int Agree, int AgreeWithRemarks, int Objection, int NotCompetent, int NoReply, int Tacit)
{
    public static RoundPageTally Of(PositionItem item)
    {
        int Count(PositionStance stance) => item.Stances.Count(s => s.Stance == stance && !s.Tacit);
        return new(
            Count(PositionStance.Agree),
            Count(PositionStance.AgreeWithRemarks),
            Count(PositionStance.Objection),
            Count(PositionStance.NotCompetent),
            Count(PositionStance.NoReply),
            item.Stances.Count(s => s.Tacit));
    }
}

/// <summary>One thing that changed on an item between two draft versions; user text changed comes with both texts.</summary>
public sealed record RoundPageChange(string Says, string? Before = null, string? After = null);

/// <summary>
/// What changed on each item from one draft version to the next, item by item: its outcome, each participant's stance
/// and remarks, its settlement and its text. A simple comparison per field: the texts are shown whole, before and after.
/// </summary>
public static class RoundPageChanges
{
    public static IReadOnlyList<RoundPageChange> Between(PositionItem? before, PositionItem after, ConsoleTexts texts)
    {
        var changes = new List<RoundPageChange>();
        if (before is null)
        {
            return changes;
        }

        if (before.Outcome != after.Outcome)
        {
            changes.Add(new(texts.Format("ChangeOutcome", texts.Outcome(before.Outcome), texts.Outcome(after.Outcome))));
        }

        var earlier = before.Stances.ToDictionary(s => s.Participant, StringComparer.Ordinal);
        foreach (var stance in after.Stances)
        {
            var was = earlier.GetValueOrDefault(stance.Participant);
            if (was is null || Word(was, texts) != Word(stance, texts))
            {
                changes.Add(new(texts.Format(
                    "ChangeStance", stance.Name, was is null ? texts.Stance(PositionStance.NoReply) : Word(was, texts), Word(stance, texts))));
            }

            if ((was?.Remarks ?? "") != (stance.Remarks ?? ""))
            {
                changes.Add(new(texts.Format("ChangeRemarks", stance.Name), was?.Remarks, stance.Remarks));
            }
        }

        if (before.Settlement?.How != after.Settlement?.How)
        {
            changes.Add(new(texts.Format("ChangeSettlement", Settled(before.Settlement, texts), Settled(after.Settlement, texts))));
        }

        if ((before.Settlement?.Text ?? "") != (after.Settlement?.Text ?? ""))
        {
            changes.Add(new(texts["ChangeSettledText"], before.Settlement?.Text, after.Settlement?.Text));
        }

        if (before.Text != after.Text)
        {
            changes.Add(new(texts["ChangeText"], before.Text, after.Text));
        }

        return changes;
    }

    /// <summary>A stance in words: silence counted as agreeing is said as such.</summary>
    public static string Word(ParticipantStance stance, ConsoleTexts texts) =>
        stance.Tacit ? texts["StanceTacit"] : texts.Stance(stance.Stance);

    static string Settled(ItemSettlement? settlement, ConsoleTexts texts) =>
        settlement is null ? texts["NotSettled"] : texts.Settled(settlement.How);
}
