using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Storage;

/// <summary>The audit trail on real storage: an entry always fits in its row, however long what it names.</summary>
public sealed class RoundStoreAuditTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
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
