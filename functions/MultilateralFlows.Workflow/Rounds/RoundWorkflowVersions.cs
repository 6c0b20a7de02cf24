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
    /// From this version on, a round goes on in a fresh history after <see cref="ConsultationRound.SignalsPerHistory"/>
    /// signals, carrying where it stands; a round on an older version keeps one history to the end.
    /// </summary>
    public const string BoundedHistory = "2.1";

    /// <summary>
    /// From this version on, an approved round sends its final position to every participant and to the addresses it names
    /// for the permanent representation (one more activity after the approval); a round on an older version ends as before.
    /// </summary>
    public const string DistributesFinalPosition = "2.2";

    /// <summary>
    /// From this version on, a linked SOIA round not yet approved wakes up once shortly before its COORMULTI round's
    /// deadline (<see cref="RoundPlan.ParentDeadlineWarningAt"/>) and both coordinators are told; a round on an older
    /// version never does.
    /// </summary>
    public const string WarnsBeforeParentDeadline = "2.2";

    /// <summary>
    /// The shape new rounds, linked rounds and reopened iterations start on. Written with two parts: the engine compares
    /// versions as <see cref="Version"/> only when both parse, and "2" does not, so "10" would sort below "9" as text.
    /// </summary>
    public const string Current = DistributesFinalPosition;

    /// <summary>Whether a round on <paramref name="version"/> goes on in fresh histories (an unversioned round does not).</summary>
    public static bool BoundsHistory(string? version) => IsAtLeast(version, BoundedHistory);

    /// <summary>Whether a round on <paramref name="version"/> sends its final position out once approved.</summary>
    public static bool DistributesPosition(string? version) => IsAtLeast(version, DistributesFinalPosition);

    /// <summary>Whether a linked round on <paramref name="version"/> warns before its parent round's deadline.</summary>
    public static bool WarnsBeforeTheParentDeadline(string? version) => IsAtLeast(version, WarnsBeforeParentDeadline);

    static bool IsAtLeast(string? version, string than) =>
        Version.TryParse(version, out var parsed) && parsed >= Version.Parse(than);
}
