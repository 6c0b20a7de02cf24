using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using MultilateralFlows.Functions.Email;
using MultilateralFlows.Functions.Orchestration;
using MultilateralFlows.Hosting;
using MultilateralFlows.LocalHost;
using MultilateralFlows.Rounds.Activities;

namespace MultilateralFlows.Tests.Email;

/// <summary>The e-mail pieces exist in both hosts under the same names: the NotifyCoordinator activity and the event webhook route.</summary>
public sealed class EmailHostParityTests
{
    [Fact]
    public void NotifyCoordinator_InTheCatalogueAndAnActivityFunction()
    {
        Assert.Contains(WorkflowCatalogue.Activities, a => a.Name == nameof(NotifyCoordinator) && a.ActivityType == typeof(NotifyCoordinator));
        var method = typeof(RoundActivityFunctions).GetMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == nameof(NotifyCoordinator));
        Assert.Contains(method.GetParameters(), p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);
    }

    [Fact]
    public async Task ReceiveEmailEvents_AnonymousPostInTheFunctionsAppAndTheLocalHost()
    {
        var method = typeof(EmailEventFunctions).GetMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == "ReceiveEmailEvents");
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(t => t is not null)!;
        Assert.Equal(AuthorizationLevel.Anonymous, trigger.AuthLevel);
        Assert.Equal("email/events", trigger.Route);
        Assert.Equal(["post"], trigger.Methods ?? []);

        await using var world = await EmailWorld.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(world.Get<MultilateralFlows.Email.EmailEventsApi>());
        builder.Services.AddSingleton(world.Get<MultilateralFlows.Rounds.RoundsApi>());
        builder.Services.AddSingleton(world.Get<MultilateralFlows.Replies.ReplyApi>());
        builder.Services.AddSingleton(world.Get<MultilateralFlows.Pages.Console.ConsolePages>());
        builder.Services.AddSingleton(world.Get<MultilateralFlows.Pages.Console.RoundPageApi>());
        builder.Services.AddSingleton(new Mock<DurableTaskClient>("test").Object);
        builder.Services.AddSingleton<CoordinatorAccessFilter>();
        await using var app = builder.Build();
        app.MapWorkflowRoutes();

        var endpoint = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "ReceiveEmailEvents");
        Assert.Equal("/api/email/events", endpoint.RoutePattern.RawText);
        Assert.Equal(["POST"], endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods);
    }
}
