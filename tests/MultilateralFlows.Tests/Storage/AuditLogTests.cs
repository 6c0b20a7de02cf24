using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Storage;

/// <summary>The audit log on real storage.</summary>
public sealed class AuditLogTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    [Fact]
    public async Task AppendAudit_DetailNamingAThousandLongCodes_IsStoredCutWithWhatWasLeftOut()
    {
        await services.Get<WorkflowStorage>().EnsureCreatedAsync();
        var audit = services.Get<AuditLog>();
        var roundId = Guid.NewGuid().ToString("N");
        var codes = Enumerable.Range(0, 1_000).Select(i => $"participant-with-a-rather-long-code-{i:D4}").ToList();
        var detail = $"{codes.Count} request(s): {string.Join(", ", codes)}";
        Assert.True(detail.Length > 32 * 1024);

        await audit.AppendAsync(roundId, "RequestsPrepared", "workflow", detail, CancellationToken.None);
        await audit.AppendAsync(roundId, "Short", "workflow", "as it is", CancellationToken.None);

        var trail = await audit.GetAsync(roundId, CancellationToken.None);
        Assert.Equal(2, trail.Count);
        var cut = trail[0].Detail;
        Assert.True(cut.Length <= AuditLog.MaxDetailLength);
        Assert.StartsWith(detail[..(AuditLog.MaxDetailLength - 64)], cut, StringComparison.Ordinal);
        Assert.EndsWith($"({detail.Length - AuditLog.MaxDetailLength + 64:N0} more characters)", cut, StringComparison.Ordinal);
        Assert.Equal("as it is", trail[1].Detail);
    }
}
