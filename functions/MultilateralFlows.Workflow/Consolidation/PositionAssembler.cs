using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Consolidation;

/// <summary>
/// Who is asked on behalf of whom: a participant of the round, or a Flemish policy area answering for Flanders. A
/// respondent <see cref="ViaLinkedRound"/> gets no e-mail: its reply is the approved position of a linked SOIA round.
/// </summary>
public sealed record Respondent(string Participant, string? Represents, bool ViaLinkedRound = false);

/// <summary>
/// Turns the latest contributions into the consolidated position. Pure: the same inputs always give the same document.
/// </summary>
public static class PositionAssembler
{
    /// <summary>Most restrictive first: when Flemish areas are combined, the first of these that anyone gave wins.</summary>
    static readonly Stance[] Restrictiveness = [Stance.Objection, Stance.AgreeWithRemarks, Stance.Agree, Stance.NotCompetent];

    public static PositionDocument Assemble(
        RoundDefinition round,
        IReadOnlyList<Respondent> respondents,
        IReadOnlyList<Contribution> latestContributions,
        IReadOnlyDictionary<string, string> names,
        int version,
        PositionStatus status,
        DateTimeOffset assembledAt,
        IReadOnlyDictionary<string, ItemSettlement>? settlements = null)
    {
        var byParticipant = latestContributions.ToDictionary(c => c.Participant, StringComparer.Ordinal);
        var items = round.Items
            .Select(item => AssembleItem(round, item, respondents, byParticipant, names)
                with { Settlement = settlements?.GetValueOrDefault(item.Id) })
            .ToList();
        return new PositionDocument(
            round.Id, round.Procedure, round.Title, round.Organisation, round.Kind, version, status,
            round.Deadline, assembledAt, round.SilenceProcedure, items,
            latestContributions.ToDictionary(c => c.Participant, c => c.Version, StringComparer.Ordinal));
    }

    static PositionItem AssembleItem(
        RoundDefinition round,
        AgendaItem item,
        IReadOnlyList<Respondent> respondents,
        IReadOnlyDictionary<string, Contribution> contributions,
        IReadOnlyDictionary<string, string> names)
    {
        var stances = new List<ParticipantStance>();
        var missing = new List<string>();
        foreach (var seat in round.Participants)
        {
            // Nobody waits for an entity that is not competent for the item: its silence is neither missing nor tacit.
            var competent = Competences.IsCompetent(item.Competence, seat);
            var onBehalf = respondents.Where(r => r.Represents == seat).Select(r => r.Participant).ToList();
            var stance = onBehalf.Count == 0
                ? DirectStance(seat, item.Id, contributions, names)
                : CombinedStance(seat, onBehalf, item.Id, contributions, names, competent ? missing : null);
            if (stance.Stance == PositionStance.NoReply && competent)
            {
                missing.Add(seat);
                if (round.SilenceProcedure)
                {
                    stance = stance with { Stance = PositionStance.Agree, Tacit = true };
                }
            }

            stances.Add(competent ? stance : NotCompetent(stance));
        }

        var lead = item.LeadEntity;
        return new PositionItem(
            item.Id, item.Title, item.Text, Outcome(stances), stances, missing, Settlement: null,
            item.Competence, lead, lead is null ? null : names.GetValueOrDefault(lead, lead));
    }

    /// <summary>A stance that does not count, with the areas' answers it combines (they speak for the same entity).</summary>
    static ParticipantStance NotCompetent(ParticipantStance stance) => stance with
    {
        Competent = false,
        Contributors = stance.Contributors?.Select(c => c with { Competent = false }).ToList(),
    };

    /// <summary>Only the competent count: a non-competent objection does not make a divergence, nor its agreement a consensus.</summary>
    static ItemOutcome Outcome(IReadOnlyList<ParticipantStance> stances) =>
        stances.Any(s => s.Competent && s.Stance == PositionStance.Objection) ? ItemOutcome.Divergence
        : stances.Any(s => s.Competent && s.Stance is PositionStance.Agree or PositionStance.AgreeWithRemarks) ? ItemOutcome.Consensus
        : ItemOutcome.NoAgreement;

    static ParticipantStance DirectStance(
        string participant, string itemId, IReadOnlyDictionary<string, Contribution> contributions, IReadOnlyDictionary<string, string> names)
    {
        var reply = contributions.GetValueOrDefault(participant)?.Items.FirstOrDefault(i => i.ItemId == itemId);
        var name = names.GetValueOrDefault(participant, participant);
        return reply is null
            ? new ParticipantStance(participant, name, PositionStance.NoReply, null)
            : new ParticipantStance(participant, name, reply.Stance.InPosition(), NullIfBlank(reply.Remarks), Contributors: reply.Contributors);
    }

    /// <summary>
    /// Flanders' stance from the areas that answered: the most restrictive wins. Each area's remarks stay with that area,
    /// in <see cref="ParticipantStance.Contributors"/>, and are not joined into Flanders' own: joined, one area's words
    /// could be written to look like another's.
    /// </summary>
    static ParticipantStance CombinedStance(
        string seat,
        IReadOnlyList<string> areas,
        string itemId,
        IReadOnlyDictionary<string, Contribution> contributions,
        IReadOnlyDictionary<string, string> names,
        List<string>? missing)
    {
        var answers = areas.Select(area => DirectStance(area, itemId, contributions, names)).ToList();
        missing?.AddRange(answers.Where(a => a.Stance == PositionStance.NoReply).Select(a => a.Participant));
        var replied = answers.Where(a => a.Stance != PositionStance.NoReply).ToList();
        var name = names.GetValueOrDefault(seat, seat);
        if (replied.Count == 0)
        {
            return new ParticipantStance(seat, name, PositionStance.NoReply, null, Contributors: answers);
        }

        var combined = MostRestrictive(replied.Select(a => a.Stance.AsReply()));
        return new ParticipantStance(seat, name, combined.InPosition(), null, Contributors: answers);
    }

    public static Stance MostRestrictive(IEnumerable<Stance> stances)
    {
        var given = stances.ToHashSet();
        return Restrictiveness.First(given.Contains);
    }

    static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
