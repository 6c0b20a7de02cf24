using System.Reflection;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using MultilateralFlows.Functions.Health;
using MultilateralFlows.Hosting;
using MultilateralFlows.Http;
using MultilateralFlows.LocalHost;

namespace MultilateralFlows.Tests.Hosting;

/// <summary>Nothing may drift between the two hosts: the same orchestrators, activities and routes under the same names.</summary>
public sealed class HostParityTests
{
    static readonly Assembly FunctionsApp = typeof(HealthFunction).Assembly;

    [Fact]
    public void Orchestrators_FunctionsAppAndLocalHost_AreTheSame()
    {
        var functions = FunctionsWithTrigger<OrchestrationTriggerAttribute>();
        var local = Registered(registry => registry.GetOrchestrators());

        Assert.NotEmpty(functions);
        Assert.Equal(functions, local);
    }

    [Fact]
    public void Activities_FunctionsAppAndLocalHost_AreTheSame()
    {
        var functions = FunctionsWithTrigger<ActivityTriggerAttribute>();
        var local = Registered(registry => registry.GetActivities());

        Assert.NotEmpty(functions);
        Assert.Equal(functions, local);
    }

    [Fact]
    public void Routes_FunctionsAppAndLocalHost_AreTheSameNamesMethodsAndPaths()
    {
        var functions = FunctionsApp.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .SelectMany(f => f.Trigger!.Methods!.Select(method => $"{f.Function!.Name} {method.ToUpperInvariant()} api/{f.Trigger.Route}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        }).Build();
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:9");
        var app = LocalHostApp.Create(configuration, new LocalHostOptions(), channel);
        var local = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method =>
                $"{e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName} {method} {e.RoutePattern.RawText!.TrimStart('/')}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var table = ApiRoutes.All.Select(r => $"{r.Name} {r.Method} api/{r.Template}")
            .Concat(ApiRoutes.AnyMethod.Select(method => $"{ApiRoutes.UnmatchedName} {method} api/{ApiRoutes.UnmatchedTemplate}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(functions);
        Assert.Equal(table, functions);
        Assert.Equal(table, local);
    }

    static List<string> FunctionsWithTrigger<TTrigger>()
        where TTrigger : Attribute =>
        FunctionsApp.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<TTrigger>() is not null))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

    static List<string> Registered<T>(Func<DurableTaskRegistry, IEnumerable<KeyValuePair<TaskName, T>>> select)
    {
        var registry = new DurableTaskRegistry();
        WorkflowCatalogue.Register(registry);
        return select(registry).Select(p => p.Key.Name).Order(StringComparer.Ordinal).ToList();
    }
}
