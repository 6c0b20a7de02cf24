using System.ComponentModel.DataAnnotations;

namespace MultilateralFlows.LocalHost;

/// <summary>Settings of the local host only (<c>LocalHost__Port</c>, ...); the Functions app has no use for them.</summary>
public sealed class LocalHostOptions
{
    public const string SectionName = "LocalHost";

    /// <summary>Loopback by default: the coordinator routes are meant for this machine.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    [Range(0, 65535)]
    public int Port { get; set; } = 7071;

    /// <summary>
    /// A key that lets a caller from another machine use the coordinator routes (<c>x-functions-key</c> header or
    /// <c>code</c> query).
    /// </summary>
    public string? CoordinatorKey { get; set; }

    /// <summary>Stable, so that after a crash the restarted host takes back its own partition leases at once.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-localhost";

    /// <summary>How long a stop may take before the process exits regardless.</summary>
    [Range(1, 60)]
    public int ShutdownSeconds { get; set; } = 8;

    /// <summary>Test only: pauses around activities, so crash tests can kill the host at chosen moments.</summary>
    public FaultInjectionOptions FaultInjection { get; set; } = new();
}
