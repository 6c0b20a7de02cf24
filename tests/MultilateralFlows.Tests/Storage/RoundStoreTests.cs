using MultilateralFlows.Consolidation;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Storage;

/// <summary>The round store on real storage.</summary>
public sealed class RoundStoreTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    [Fact]
    public async Task GetContribution_OneOfSeveralVersions_ThatVersionAloneOrNullIfThereIsNone()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var store = services.Get<RoundStore>();
        var record = (await store.GetAsync(round.Id, CancellationToken.None))!;
        foreach (var remark in new[] { "first", "second", "third" })
        {
            await store.SaveContributionAsync(record, "education", [new ItemReply("5.I", Stance.AgreeWithRemarks, remark), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        }

        var second = await store.GetContributionAsync(round.Id, "education", 2, CancellationToken.None);
        var none = await store.GetContributionAsync(round.Id, "education", 4, CancellationToken.None);
        var otherParticipant = await store.GetContributionAsync(round.Id, "environment", 2, CancellationToken.None);

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
        var store = services.Get<RoundStore>();
        var record = (await store.GetAsync(round.Id, CancellationToken.None))!;
        SaveContributionResult saved = null!;
        for (var version = 1; version <= store.MaxVersions; version++)
        {
            saved = await store.SaveContributionAsync(record, "education", [new ItemReply("5.I", Stance.AgreeWithRemarks, $"v{version}"), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        }

        var refused = await store.SaveContributionAsync(record, "education", [new ItemReply("5.I", Stance.Objection, "one too many"), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        var otherParticipant = await store.SaveContributionAsync(record, "environment", [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);

        Assert.Equal((SaveOutcome.Saved, store.MaxVersions), (saved.Outcome, saved.Version));
        Assert.Equal((SaveOutcome.TooManyVersions, store.MaxVersions), (refused.Outcome, refused.Version));
        Assert.Null(await store.GetContributionAsync(round.Id, "education", store.MaxVersions + 1, CancellationToken.None));
        var last = await store.GetContributionAsync(round.Id, "education", store.MaxVersions, CancellationToken.None);
        Assert.Equal($"v{store.MaxVersions}", last!.Items[0].Remarks);
        Assert.Equal(SaveOutcome.Saved, otherParticipant.Outcome);
    }

    [Fact]
    public async Task AppendAudit_DetailNamingAThousandLongCodes_IsStoredCutWithWhatWasLeftOut()
    {
        await services.Get<WorkflowStorage>().EnsureCreatedAsync();
        var store = services.Get<RoundStore>();
        var roundId = Guid.NewGuid().ToString("N");
        var codes = Enumerable.Range(0, 1_000).Select(i => $"participant-with-a-rather-long-code-{i:D4}").ToList();
        var detail = $"{codes.Count} request(s): {string.Join(", ", codes)}";
        Assert.True(detail.Length > 32 * 1024);

        await store.AppendAuditAsync(roundId, "RequestsPrepared", "workflow", detail, CancellationToken.None);
        await store.AppendAuditAsync(roundId, "Short", "workflow", "as it is", CancellationToken.None);

        var trail = await store.GetAuditAsync(roundId, CancellationToken.None);
        Assert.Equal(2, trail.Count);
        var cut = trail[0].Detail;
        Assert.True(cut.Length <= RoundStore.MaxAuditDetailLength);
        Assert.StartsWith(detail[..(RoundStore.MaxAuditDetailLength - 64)], cut, StringComparison.Ordinal);
        Assert.EndsWith($"({detail.Length - RoundStore.MaxAuditDetailLength + 64:N0} more characters)", cut, StringComparison.Ordinal);
        Assert.Equal("as it is", trail[1].Detail);
    }
}
