namespace MultilateralFlows.LocalHost;

/// <summary>
/// Console logging for the local host: the workflow's own messages, the engine and web server only when they warn,
/// and host.json's <c>logging:logLevel</c> on top, as the Functions host applies it.
/// </summary>
public static class LocalLogging
{
    public static ILoggingBuilder Configure(ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        logging.SetMinimumLevel(LogLevel.Information);
        foreach (var noisy in new[]
            { "Microsoft.AspNetCore", "Microsoft.Hosting", "Microsoft.DurableTask", "DurableTask", "Grpc", "System.Net.Http" })
        {
            logging.AddFilter(noisy, LogLevel.Warning);
        }

        foreach (var level in configuration.GetSection($"{LocalConfiguration.HostJsonPrefix}:logging:logLevel").GetChildren())
        {
            if (Enum.TryParse<LogLevel>(level.Value, ignoreCase: true, out var parsed))
            {
                logging.AddFilter(level.Key == "default" ? null : level.Key, parsed);
            }
        }

        return logging;
    }
}
