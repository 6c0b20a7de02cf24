using Microsoft.DurableTask.Worker;
using static Microsoft.DurableTask.Worker.DurableTaskWorkerOptions;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// Orchestration versioning as the Durable Functions extension reads it from host.json's <c>extensions:durableTask</c>
/// (<c>defaultVersion</c>, <c>versionMatchStrategy</c>, <c>versionFailureStrategy</c>, with the extension's defaults when
/// absent), for the local host's worker and client. The extension gives a new orchestration the default version when
/// the client names none and runs only work of that version or older; the worker and client here do the same, so a
/// round starts and replays alike on either host.
/// </summary>
public sealed record OrchestrationVersioning(string Version, VersionMatchStrategy MatchStrategy, VersionFailureStrategy FailureStrategy)
{
    /// <summary>Reads the section; a strategy the extension would not bind stops the local host too.</summary>
    public static OrchestrationVersioning FromHostJson(IConfiguration configuration)
    {
        var durableTask = configuration.GetSection($"{LocalConfiguration.HostJsonPrefix}:extensions:durableTask");
        return new OrchestrationVersioning(
            durableTask["defaultVersion"] ?? "",
            Parse(durableTask, "versionMatchStrategy", VersionMatchStrategy.CurrentOrOlder),
            Parse(durableTask, "versionFailureStrategy", VersionFailureStrategy.Reject));
    }

    /// <summary>The worker runs orchestrations up to its version and starts linked rounds on it, like the extension's worker.</summary>
    public VersioningOptions ForWorker() =>
        new() { Version = Version, DefaultVersion = Version, MatchStrategy = MatchStrategy, FailureStrategy = FailureStrategy };

    static TStrategy Parse<TStrategy>(IConfigurationSection durableTask, string key, TStrategy absent)
        where TStrategy : struct, Enum
    {
        var value = durableTask[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return absent;
        }

        // Only the names: a number would parse as an enum value the extension does not know.
        var known = Enum.GetNames<TStrategy>().Contains(value, StringComparer.OrdinalIgnoreCase);
        if (!known || !Enum.TryParse<TStrategy>(value, ignoreCase: true, out var strategy))
        {
            throw new InvalidOperationException($"{key} must be one of {string.Join(", ", Enum.GetNames<TStrategy>())}, not '{value}'.");
        }

        return strategy;
    }
}
