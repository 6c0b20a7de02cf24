using Azure.Data.Tables;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Storage;

/// <summary>Items' competences and leads on real storage, and what the round opens with them.</summary>
public sealed class RoundStoreCompetenceTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    static readonly string[] ThreeAreas = ["education", "environment", "culture-youth-media"];

    static RoundDefinition Round(params AgendaItem[] items) => TestRounds.Coormulti(["federal", "flanders", "wallonia"], ThreeAreas) with
    {
        Id = RoundIds.New(),
        Items = items,
        Deadline = DateTimeOffset.UtcNow.AddDays(7),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task GetAsync_ItemsWithCompetencesAndLeads_ReadBackAsStored()
    {
        var round = Round(new AgendaItem("1", "One", "Text.", Competence.Federal, "federal"), new AgendaItem("2", "Two", "Text.", Competence.Federated));
        var store = services.Get<RoundStore>();
        await store.CreateAsync(round, "test", CancellationToken.None);

        var stored = await store.GetAsync(round.Id, CancellationToken.None);

        Assert.Equal(round.Items, stored!.Definition.Items);
    }

    [Fact]
    public async Task GetAsync_ItemRowsStoredBeforeCompetences_ReadAsMixedWithoutALead()
    {
        var round = Round(new AgendaItem("1", "One", "Text.", Competence.Federal, "federal"));
        await services.Get<RoundStore>().CreateAsync(round, "test", CancellationToken.None);
        // The row as this app wrote it before items had a competence.
        var old = new TableEntity(round.Id, "item|000") { ["Index"] = 0, ["ItemId"] = "1", ["Title"] = "One", ["Text"] = "Text." };
        await services.Get<WorkflowStorage>().Rounds.UpsertEntityAsync(old, TableUpdateMode.Replace);

        var stored = await services.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None);

        Assert.Equal([new AgendaItem("1", "One", "Text.", Competence.Mixed, null)], stored!.Definition.Items);
    }

    [Fact]
    public async Task OpenRound_OnlyFederalItems_NoLinkedRoundAndFlandersIsNeitherAskedNorAwaited()
    {
        var round = Round(new AgendaItem("1", "One", "Text.", Competence.Federal), new AgendaItem("2", "Two", "Text.", Competence.Federal));
        await services.Get<RoundStore>().CreateAsync(round, "test", CancellationToken.None);

        var plan = await services.Get<OpenRound>().RunAsync(new RoundInput(round.Id));

        Assert.False(plan.NeedsLinkedRound);
        Assert.Equal(["federal", "wallonia"], plan.Awaited.Order());
        Assert.Equal(["federal", "wallonia"], plan.EmailRecipients.Order());
        var requests = await services.Get<RequestStore>().ListAsync(round.Id, CancellationToken.None);
        Assert.DoesNotContain(requests, r => r.Participant == "flanders");
    }

    [Fact]
    public async Task OpenRound_AFederatedItemNextToAFederalOne_FlandersAnswersThroughALinkedRound()
    {
        var round = Round(new AgendaItem("1", "One", "Text.", Competence.Federal), new AgendaItem("2", "Two", "Text.", Competence.Federated));
        await services.Get<RoundStore>().CreateAsync(round, "test", CancellationToken.None);

        var plan = await services.Get<OpenRound>().RunAsync(new RoundInput(round.Id));

        Assert.True(plan.NeedsLinkedRound);
        Assert.Contains("flanders", plan.Awaited);
        Assert.DoesNotContain("flanders", plan.EmailRecipients);
    }
}
