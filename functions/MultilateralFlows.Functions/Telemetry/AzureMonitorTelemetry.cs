using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MultilateralFlows.Functions.Telemetry;

/// <summary>
/// The worker's telemetry: OpenTelemetry logs, traces and metrics exported to Azure Monitor (Application Insights) when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, sent with the app's managed identity when
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says so. Without a connection string (locally, in tests) nothing is
/// exported and the worker's logs reach the Functions host's console as usual.
/// </summary>
public static class AzureMonitorTelemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IServiceCollection AddAzureMonitorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }

        var credential = CredentialFor(configuration[AuthenticationStringSetting]);
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = connectionString;
                exporter.Credential = credential;
                // Traces are sampled (the exporter's default rate limit); logs are not. Otherwise a log line whose trace
                // is sampled out is dropped with it, and a warning or an error (a round stopped, an address refused)
                // could never reach the people who watch the logs.
                exporter.EnableTraceBasedLogsSampler = false;
            });
        return services;
    }

    /// <summary>
    /// The credential an authentication string asks for, in the format the Functions host reads too:
    /// <c>Authorization=AAD</c> (the system-assigned identity) or <c>ClientId=...;Authorization=AAD</c> (a user-assigned
    /// one). Anything else: none, so the connection string's instrumentation key is used.
    /// </summary>
    public static TokenCredential? CredentialFor(string? authenticationString)
    {
        var parts = (authenticationString ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!string.Equals(parts.GetValueOrDefault("Authorization"), "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
