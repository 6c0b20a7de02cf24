using System.Reflection;
using System.Text.Json;
using DurableTask.Core.Settings;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MultilateralFlows.Functions.Health;
using MultilateralFlows.Hosting;
using MultilateralFlows.Http;
using MultilateralFlows.LocalHost;
using MultilateralFlows.Rounds;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Hosting;

/// <summary>
/// Nothing may drift between the two hosts: the same orchestrators, activities and routes under the same names, and the
/// same orchestration versioning.
/// </summary>
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
    public void Activities_FunctionsApp_TakeAndReturnWhatTheCatalogueDeclares()
    {
        var functions = FunctionsApp.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Method: m, Trigger: m.GetParameters().SingleOrDefault(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => Signature(f.Method.GetCustomAttribute<FunctionAttribute>()!.Name, f.Trigger!.ParameterType, f.Method.ReturnType))
            .Order(StringComparer.Ordinal);

        var declared = WorkflowCatalogue.Activities
            .Select(a => Signature(a.Name, a.InputType, typeof(Task<>).MakeGenericType(a.OutputType)))
            .Order(StringComparer.Ordinal);

        Assert.Equal(declared, functions);
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

    [Fact]
    public void Versioning_HostJsonAndTheLocalHostsWorkerAndClient_AreTheSame()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var durableTask = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask");
        string Setting(string name) => durableTask.GetProperty(name).GetString()!;
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(LocalConfiguration.Build([], RepositoryPaths.Root))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" })
            .Build();
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:9");
        var services = LocalHostApp.Create(configuration, new LocalHostOptions(), channel).Services;

        var worker = services.GetRequiredService<IOptionsMonitor<DurableTaskWorkerOptions>>().Get(Options.DefaultName).Versioning!;
        var client = services.GetRequiredService<IOptionsMonitor<GrpcDurableTaskClientOptions>>().Get(Options.DefaultName);

        // The Functions host binds these names to DurableTask.Core's strategies; the worker's have the same names.
        Assert.True(Enum.TryParse<VersioningSettings.VersionMatchStrategy>(Setting("versionMatchStrategy"), out var match));
        Assert.True(Enum.TryParse<VersioningSettings.VersionFailureStrategy>(Setting("versionFailureStrategy"), out var failure));
        Assert.Equal(match.ToString(), worker.MatchStrategy.ToString());
        Assert.Equal(failure.ToString(), worker.FailureStrategy.ToString());
        Assert.Equal(Setting("defaultVersion"), worker.Version);
        Assert.Equal(Setting("defaultVersion"), worker.DefaultVersion);
        Assert.Equal(Setting("defaultVersion"), client.DefaultVersion);
        Assert.Equal(RoundWorkflowVersions.Current, Setting("defaultVersion"));
    }

    static string Signature(string name, Type input, Type output) =>
        $"{name}({input.FullName}) -> {(output.IsGenericType ? $"{output.Name}[{output.GetGenericArguments()[0].FullName}]" : output.FullName)}";

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
