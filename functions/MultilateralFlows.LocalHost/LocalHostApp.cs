using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using MultilateralFlows.Hosting;
using MultilateralFlows.Http;

namespace MultilateralFlows.LocalHost;

/// <summary>The local host's web application: the workflow's services, a Durable Task worker and client on the sidecar, the routes.</summary>
public static class LocalHostApp
{
    public static WebApplication Create(IConfiguration configuration, LocalHostOptions options, GrpcChannel sidecar)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        LocalLogging.Configure(builder.Logging.ClearProviders(), configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Parse(options.BindAddress), options.Port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownSeconds / 2.0));
        builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddMultilateralFlows(builder.Configuration);
        var versioning = OrchestrationVersioning.FromHostJson(configuration);
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(sidecar);
            worker.UseVersioning(versioning.ForWorker());
            // The crash tests' pauses, only when one is set: the workflow's own registration has no place for them.
            worker.AddTasks(options.FaultInjection.IsActive ? options.FaultInjection.Register : WorkflowCatalogue.Register);
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(sidecar);
            // The Functions host gives a new orchestration host.json's version itself; the sidecar leaves it to the client.
            client.UseDefaultVersion(versioning.Version);
            client.RegisterDirectly();
        });
        builder.Services.AddHostedService<HousekeepingTimer>();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            SecurityHeaders.OnEveryResponse(context);
            return next(context);
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A request the server cannot read (malformed chunked encoding, a body cut short) is the caller's fault:
            // answer with the 4xx the server chose, not a 500.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });

        // Routing's own refusals (no such route: 404, wrong method: 405) come without a body; give them problem details
        // like every other refusal.
        app.UseStatusCodePages();
        app.MapWorkflowRoutes();
        return app;
    }
}
