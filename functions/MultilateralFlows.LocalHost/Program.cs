using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;
using MultilateralFlows.Hosting;
using MultilateralFlows.LocalHost;

// The local host: the workflow of the Functions app, without Azure Functions Core Tools.
var demo = args.Contains("--demo");
args = args.Where(a => a != "--demo").ToArray();
var configuration = LocalConfiguration.Build(args, Directory.GetCurrentDirectory());
var options = configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();

using var loggerFactory = LoggerFactory.Create(logging => LocalLogging.Configure(logging, configuration));
await using var sidecar = await DurableTaskSidecar.StartAsync(configuration, options, loggerFactory, CancellationToken.None);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
builder.Configuration.Sources.Clear();
builder.Configuration.AddConfiguration(configuration);
LocalLogging.Configure(builder.Logging.ClearProviders(), configuration);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Parse(options.BindAddress), options.Port));
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownSeconds / 2.0));
builder.Services.AddOptions<LocalHostOptions>().BindConfiguration(LocalHostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddProblemDetails();
builder.Services.AddMultilateralFlows(builder.Configuration);
builder.Services.AddDurableTaskWorker(worker =>
{
    worker.UseGrpc(sidecar.Channel);
    worker.AddTasks(WorkflowCatalogue.Register);
});
builder.Services.AddDurableTaskClient(client =>
{
    client.UseGrpc(sidecar.Channel);
    client.RegisterDirectly();
});

if (demo)
{
    builder.Services.AddHostedService<MultilateralFlows.LocalHost.Demo.DemoRound>();
}

var app = builder.Build();
app.UseExceptionHandler();
app.MapWorkflowRoutes();

// A stop must not hang on in-flight work: everything durable is in storage and resumes on the next start.
app.Lifetime.ApplicationStopping.Register(() => _ = Task.Delay(TimeSpan.FromSeconds(options.ShutdownSeconds)).ContinueWith(_ => Environment.Exit(0), TaskScheduler.Default));
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "MultilateralFlows local host listening on http://{BindAddress}:{Port} (task hub {TaskHub})", options.BindAddress, options.Port, sidecar.TaskHub));

await app.RunAsync();
