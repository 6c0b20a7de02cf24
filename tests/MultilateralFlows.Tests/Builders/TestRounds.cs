using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Tests.Builders;

/// <summary>Round definitions and contributions for tests; each test changes only what it is about.</summary>
public static class TestRounds
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static RoundDefinition Soia(params string[] participants) => new(
        Id: "r1",
        Procedure: Procedure.SOIA,
        Title: "UNESCO Executive Board",
        Organisation: "UNESCO",
        Kind: MeetingKind.BoardMeeting,
        Items: [new AgendaItem("5.I", "Budget", "Zero real growth."), new AgendaItem("12", "Neurotechnology", "Support adoption.")],
        Participants: participants.Length == 0 ? ["education", "culture-youth-media", "environment"] : participants,
        FlemishPolicyAreas: [],
        Deadline: Now.AddDays(7),
        SilenceProcedure: false,
        CoordinatorEmail: "coordinator@vlaanderen.example",
        CreatedAt: Now);

    public static RoundDefinition Coormulti(IReadOnlyList<string> participants, IReadOnlyList<string> areas) =>
        Soia() with { Procedure = Procedure.COORMULTI, Participants = participants, FlemishPolicyAreas = areas };

    public static Contribution Reply(string participant, params (string Item, Stance Stance, string? Remarks)[] items) =>
        new(participant, 1, Now, items.Select(i => new ItemReply(i.Item, i.Stance, i.Remarks)).ToList());

    public static Contribution ReplyToAll(string participant, Stance stance, string? remarks = null) =>
        Reply(participant, ("5.I", stance, remarks), ("12", stance, remarks));

    public static IReadOnlyList<Respondent> Direct(RoundDefinition round) => RoundRouting.Respondents(round);
}
