using MultilateralFlows.LocalHost;

// The local host: the workflow of the Functions app, without Azure Functions Core Tools.
var configuration = LocalConfiguration.Build(args, Directory.GetCurrentDirectory());
var options = configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>() ?? new LocalHostOptions();

using var loggerFactory = LoggerFactory.Create(logging => LocalLogging.Configure(logging, configuration));
await using var sidecar = await DurableTaskSidecar.StartAsync(configuration, options, loggerFactory, CancellationToken.None);

var app = LocalHostApp.Create(configuration, options, sidecar.Channel);

// A stop must not hang on in-flight work: everything durable is in storage and resumes on the next start.
app.Lifetime.ApplicationStopping.Register(() => _ = Task.Delay(TimeSpan.FromSeconds(options.ShutdownSeconds))
    .ContinueWith(_ => Environment.Exit(0), TaskScheduler.Default));
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "MultilateralFlows local host listening on http://{BindAddress}:{Port} (task hub {TaskHub})",
    options.BindAddress, options.Port, sidecar.TaskHub));
if (options.FaultInjection.IsActive)
{
    app.Logger.LogWarning(
        "FAULT INJECTION IS ON (test only): pauses before {DelayBefore} and after {DelayAfter}; remove the LocalHost__FaultInjection__* settings",
        string.Join(", ", options.FaultInjection.DelayBefore.Select(d => $"{d.Key} {d.Value}")),
        string.Join(", ", options.FaultInjection.DelayAfter.Select(d => $"{d.Key} {d.Value}")));
}

await app.RunAsync();
