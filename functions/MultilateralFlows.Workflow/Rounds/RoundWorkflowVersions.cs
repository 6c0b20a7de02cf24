namespace MultilateralFlows.Rounds;

/// <summary>
/// The versions of the round orchestrator's shape: which activities, timers and waits it records, in which order. A
/// round keeps the version it started on and replays that version's path, so a change of shape gets a new version
/// and a branch on <c>context.Version</c>. host.json's <c>extensions:durableTask:defaultVersion</c> names the version
/// new rounds start on (both hosts read it there); a test holds it to <see cref="Current"/>.
/// </summary>
public static class RoundWorkflowVersions
{
    /// <summary>Rounds started before orchestrations were versioned carry no version; their shape is that of 2.0.</summary>
    public const string Unversioned = "";

    /// <summary>
    /// The shape new rounds, linked rounds and reopened iterations start on. Written with two parts: the engine compares
    /// versions as <see cref="Version"/> only when both parse, and "2" does not, so "10" would sort below "9" as text.
    /// </summary>
    public const string Current = "2.0";
}
