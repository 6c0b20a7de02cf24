using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Pages.Console;

/// <summary>Someone a round e-mails a reply link to: the directory's name and addresses, and whom they answer for.</summary>
public sealed record PreviewRecipient(string Code, string Name, IReadOnlyList<string> Emails, bool ForFlanders = false);

/// <summary>
/// What starting a validated round will do, read off the rules the round itself follows: who is asked
/// (<see cref="RoundRouting.Respondents"/>), whether Flanders answers through a linked SOIA round and who coordinates it
/// (<see cref="StartLinkedRound.SoiaCoordinator"/>).
/// </summary>
public sealed record RoundPreview(
    RoundDefinition Round,
    IReadOnlyList<PreviewRecipient> Recipients,
    IReadOnlyList<PreviewRecipient> LinkedRoundAreas,
    string? LinkedRoundCoordinator,
    bool FlandersNotAsked)
{
    public static RoundPreview Of(RoundDefinition round, IReadOnlyDictionary<string, Participant> directory)
    {
        PreviewRecipient Recipient(string code, bool forFlanders = false) => directory.TryGetValue(code, out var p)
            ? new PreviewRecipient(code, p.Name, p.Emails, forFlanders)
            : new PreviewRecipient(code, code, [], forFlanders);

        var respondents = RoundRouting.Respondents(round);
        var linked = respondents.Any(r => r.ViaLinkedRound);
        return new RoundPreview(
            round,
            [.. respondents.Where(r => !r.ViaLinkedRound).Select(r => Recipient(r.Participant, r.Represents == RoundRouting.Flanders))],
            linked ? [.. round.FlemishPolicyAreas.Select(area => Recipient(area))] : [],
            linked ? StartLinkedRound.SoiaCoordinator(round, directory.GetValueOrDefault(RoundRouting.Flanders)) : null,
            round.Participants.Contains(RoundRouting.Flanders) && respondents.All(r => r.Participant != RoundRouting.Flanders && r.Represents != RoundRouting.Flanders));
    }
}
