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
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();

    [Fact]
    public void ActivityWrapper_NothingConfigured_IsNoneSoActivitiesRunAsRegistered()
    {
        var options = Bind(new Dictionary<string, string?> { ["LocalHost:Port"] = "7071" });

        Assert.False(options.FaultInjection.IsActive);
        Assert.Null(options.FaultInjection.ActivityWrapper());
    }

    [Fact]
    public void ActivityWrapper_PauseForOneActivity_WrapsThatOneOnly()
    {
        var options = Bind(new Dictionary<string, string?> { ["LocalHost:FaultInjection:DelayAfter:SendEmails"] = "00:00:03" });
        var wrap = options.FaultInjection.ActivityWrapper()!;
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var activity = new Mock<ITaskActivity>().Object;

        Assert.Equal(TimeSpan.FromSeconds(3), options.FaultInjection.DelayAfter["SendEmails"]);
        Assert.NotSame(activity, wrap(services, "SendEmails", activity));
        Assert.Same(activity, wrap(services, "AssemblePosition", activity));
    }

    [Fact]
    public void Register_WithAWrapper_RegistersTheSameActivities()
    {
        var plain = new DurableTaskRegistry();
        var wrapped = new DurableTaskRegistry();

        WorkflowCatalogue.Register(plain);
        WorkflowCatalogue.Register(wrapped, (_, _, activity) => activity);

        Assert.Equal(plain.GetActivities().Select(a => a.Key.Name).Order(), wrapped.GetActivities().Select(a => a.Key.Name).Order());
    }
}
