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
        var wrap = options.FaultInjection.ActivityWrapper();
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(sidecar);
            worker.AddTasks(registry => WorkflowCatalogue.Register(registry, wrap));
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(sidecar);
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
