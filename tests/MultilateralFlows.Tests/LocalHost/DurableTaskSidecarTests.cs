using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MultilateralFlows.LocalHost;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.LocalHost;

/// <summary>The local host takes its engine settings from host.json and refuses what the Durable Functions extension refuses.</summary>
public sealed class DurableTaskSidecarTests
{
    static IConfiguration Configuration(params (string Key, string Value)[] durableTask)
    {
        var values = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" };
        foreach (var (key, value) in durableTask)
        {
            values[$"{LocalConfiguration.HostJsonPrefix}:extensions:durableTask:{key}"] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    [Fact]
    public void CreateSettings_TheRepositoryHostJson_TakesItsHubPartitionsAndTimeouts()
    {
        var configuration = LocalConfiguration.Build([], RepositoryPaths.Root);
        var local = new ConfigurationBuilder().AddConfiguration(configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }).Build();

        var settings = DurableTaskSidecar.CreateSettings(local, new LocalHostOptions(), NullLoggerFactory.Instance);

        Assert.Equal(4, settings.PartitionCount);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.ControlQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.WorkItemQueueVisibilityTimeout);
        Assert.Equal(256, settings.ControlQueueBufferThreshold);
    }

    [Theory]
    [InlineData("storageProvider:controlQueueVisibilityTimeout", "00:00:15", "ControlQueueVisibilityTimeout must be between 1 and 60 minutes.")]
    [InlineData("storageProvider:controlQueueVisibilityTimeout", "02:00:00", "ControlQueueVisibilityTimeout must be between 1 and 60 minutes.")]
    [InlineData("storageProvider:partitionCount", "0", "PartitionCount must be an integer value between 1 and 16.")]
    [InlineData("storageProvider:partitionCount", "17", "PartitionCount must be an integer value between 1 and 16.")]
    [InlineData("storageProvider:controlQueueBufferThreshold", "0", "ControlQueueBufferThreshold must be between 1 and 1000.")]
    [InlineData("storageProvider:controlQueueBufferThreshold", "1001", "ControlQueueBufferThreshold must be between 1 and 1000.")]
    [InlineData("storageProvider:maxQueuePollingInterval", "00:00:00", "MaxQueuePollingInterval must be non-negative.")]
    public void CreateSettings_AValueTheFunctionsHostRefuses_IsRefusedWithItsMessage(string key, string value, string message)
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            DurableTaskSidecar.CreateSettings(Configuration((key, value)), new LocalHostOptions(), NullLoggerFactory.Instance));

        Assert.Equal(message, refused.Message);
    }
}
