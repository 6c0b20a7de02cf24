using MultilateralFlows.Consolidation;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Storage;

/// <summary>The contribution store on real storage.</summary>
public sealed class ContributionStoreTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    [Fact]
    public async Task GetContribution_OneOfSeveralVersions_ThatVersionAloneOrNullIfThereIsNone()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var store = services.Get<ContributionStore>();
        var record = (await services.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None))!;
        foreach (var remark in new[] { "first", "second", "third" })
        {
            ItemReply[] answers = [new ItemReply("5.I", Stance.AgreeWithRemarks, remark), new ItemReply("12", Stance.Agree, null)];
            await store.SaveAsync(record, "education", answers, "test", CancellationToken.None);
        }

        var second = await store.GetAsync(round.Id, "education", 2, CancellationToken.None);
        var none = await store.GetAsync(round.Id, "education", 4, CancellationToken.None);
        var otherParticipant = await store.GetAsync(round.Id, "environment", 2, CancellationToken.None);

        Assert.NotNull(second);
        Assert.Equal(2, second.Version);
        Assert.Equal(["5.I", "12"], second.Items.Select(i => i.ItemId));
        Assert.Equal("second", second.Items[0].Remarks);
        Assert.Null(none);
        Assert.Null(otherParticipant);
    }

    [Fact]
    public async Task SaveContribution_PastTheMostVersions_IsRefusedAndTheLastVersionStays()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var store = services.Get<ContributionStore>();
        var record = (await services.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None))!;
        SaveContributionResult saved = null!;
        for (var version = 1; version <= store.MaxVersions; version++)
        {
            ItemReply[] answers = [new ItemReply("5.I", Stance.AgreeWithRemarks, $"v{version}"), new ItemReply("12", Stance.Agree, null)];
            saved = await store.SaveAsync(record, "education", answers, "test", CancellationToken.None);
        }

        ItemReply[] tooMany = [new ItemReply("5.I", Stance.Objection, "one too many"), new ItemReply("12", Stance.Agree, null)];
        var refused = await store.SaveAsync(record, "education", tooMany, "test", CancellationToken.None);
        ItemReply[] agreed = [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)];
        var otherParticipant = await store.SaveAsync(record, "environment", agreed, "test", CancellationToken.None);

        Assert.Equal((SaveOutcome.Saved, store.MaxVersions), (saved.Outcome, saved.Version));
        Assert.Equal((SaveOutcome.TooManyVersions, store.MaxVersions), (refused.Outcome, refused.Version));
        Assert.Null(await store.GetAsync(round.Id, "education", store.MaxVersions + 1, CancellationToken.None));
        var last = await store.GetAsync(round.Id, "education", store.MaxVersions, CancellationToken.None);
        Assert.Equal($"v{store.MaxVersions}", last!.Items[0].Remarks);
        Assert.Equal(SaveOutcome.Saved, otherParticipant.Outcome);
    }
}
