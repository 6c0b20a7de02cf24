using DurableTask.Core.Settings;
using Microsoft.DurableTask.Abstractions;
using Microsoft.Extensions.Configuration;
using MultilateralFlows.LocalHost;
using MultilateralFlows.Rounds;
using static Microsoft.DurableTask.Worker.DurableTaskWorkerOptions;

namespace MultilateralFlows.Tests.LocalHost;

/// <summary>The local host reads orchestration versioning from host.json as the Durable Functions extension does.</summary>
public sealed class OrchestrationVersioningTests
{
    static IConfiguration DurableTask(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s =>
            KeyValuePair.Create<string, string?>($"{LocalConfiguration.HostJsonPrefix}:extensions:durableTask:{s.Key}", s.Value))).Build();

    [Fact]
    public void FromHostJson_NothingSet_TakesTheExtensionsDefaults()
    {
        var versioning = OrchestrationVersioning.FromHostJson(DurableTask());

        Assert.Equal(new OrchestrationVersioning("", VersionMatchStrategy.CurrentOrOlder, VersionFailureStrategy.Reject), versioning);
    }

    [Fact]
    public void FromHostJson_NamesInAnyCase_AreRead()
    {
        var versioning = OrchestrationVersioning.FromHostJson(
            DurableTask(("defaultVersion", "3.1"), ("versionMatchStrategy", "strict"), ("versionFailureStrategy", "FAIL")));

        Assert.Equal(new OrchestrationVersioning("3.1", VersionMatchStrategy.Strict, VersionFailureStrategy.Fail), versioning);
        Assert.Equal("3.1", versioning.ForWorker().DefaultVersion);
    }

    [Theory]
    [InlineData("versionMatchStrategy", "Newest")]
    [InlineData("versionMatchStrategy", "2")]
    [InlineData("versionFailureStrategy", "Retry")]
    public void FromHostJson_AStrategyTheExtensionDoesNotKnow_IsRefused(string key, string value)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => OrchestrationVersioning.FromHostJson(DurableTask((key, value))));

        Assert.StartsWith($"{key} must be one of", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Rounds started before versioning carry no version. Both engines' CurrentOrOlder takes a missing version for older
    /// than any, so those rounds go on running on the versioned code instead of being held back.
    /// </summary>
    [Fact]
    public void CompareVersions_AnUnversionedRound_IsOlderThanTheCurrentVersionOnBothEngines()
    {
        Assert.True(VersioningSettings.CompareVersions(RoundWorkflowVersions.Unversioned, RoundWorkflowVersions.Current) < 0);
        Assert.True(TaskOrchestrationVersioningUtils.CompareVersions(RoundWorkflowVersions.Unversioned, RoundWorkflowVersions.Current) < 0);
        Assert.True(VersioningSettings.CompareVersions("10.0", "9.0") > 0);
    }
}
