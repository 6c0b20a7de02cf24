using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Hosting;
using Moq;
using MultilateralFlows.LocalHost;

namespace MultilateralFlows.Tests.LocalHost;

/// <summary>The crash tests' fault injection is off unless its settings are there, and then touches only the activities named.</summary>
public sealed class FaultInjectionTests
{
    static LocalHostOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>()
        ?? new LocalHostOptions();

    [Fact]
    public void IsActive_NothingConfigured_FalseSoTheLocalHostRegistersTheCatalogueAsItIs()
    {
        var options = Bind(new Dictionary<string, string?> { ["LocalHost:Port"] = "7071" });

        Assert.False(options.FaultInjection.IsActive);
    }

    [Fact]
    public void WithPauses_PauseForOneActivity_WrapsThatOneOnly()
    {
        var options = Bind(new Dictionary<string, string?> { ["LocalHost:FaultInjection:DelayAfter:sendemails"] = "00:00:03" });
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var activity = new Mock<ITaskActivity>().Object;

        Assert.True(options.FaultInjection.IsActive);
        Assert.Equal(TimeSpan.FromSeconds(3), options.FaultInjection.DelayAfter["sendemails"]);
        Assert.NotSame(activity, options.FaultInjection.WithPauses("SendEmails", activity, services));
        Assert.Same(activity, options.FaultInjection.WithPauses("AssemblePosition", activity, services));
    }

    [Fact]
    public void Register_WithPauses_RegistersWhatTheCatalogueDeclares()
    {
        var options = Bind(new Dictionary<string, string?> { ["LocalHost:FaultInjection:DelayAfter:SendEmails"] = "00:00:03" });
        var plain = new DurableTaskRegistry();
        var paused = new DurableTaskRegistry();

        WorkflowCatalogue.Register(plain);
        options.FaultInjection.Register(paused);

        Assert.Equal(plain.GetOrchestrators().Select(o => o.Key.Name), paused.GetOrchestrators().Select(o => o.Key.Name));
        Assert.Equal(plain.GetActivities().Select(a => a.Key.Name).Order(), paused.GetActivities().Select(a => a.Key.Name).Order());
    }
}
