using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Tests.Builders;

/// <summary>Rounds stored through the real store and the real OpenRound activity, with the reply token of each respondent.</summary>
public static class StoredRounds
{
    public static async Task<(RoundDefinition Round, IReadOnlyDictionary<string, string> Tokens)> OpenAsync(WorkflowServicesFixture services, RoundDefinition? definition = null)
    {
        var round = (definition ?? TestRounds.Soia()) with { Id = RoundIds.New(), Deadline = DateTimeOffset.UtcNow.AddDays(7), CreatedAt = DateTimeOffset.UtcNow };
        var store = services.Get<RoundStore>();
        await store.CreateAsync(round, "test", CancellationToken.None);
        await services.Get<OpenRound>().RunAsync(new RoundInput(round.Id));
        var tokens = services.Get<ReplyTokens>();
        var requests = await services.Get<RequestStore>().ListAsync(round.Id, CancellationToken.None);
        return (round, requests.ToDictionary(r => r.Participant, r => tokens.TokenFor(round.Id, r.Participant, r.TokenNonce)));
    }
}
