namespace MultilateralFlows.Participants;

/// <summary>Who can be consulted: a Flemish policy area (SOIA) or a Belgian entity (COORMULTI).</summary>
public enum ParticipantLevel
{
    FlemishPolicyArea,
    BelgianEntity,
}

/// <summary>An entry of the participant directory: the focal point(s) that receive the reply link.</summary>
public sealed record Participant(
    string Code,
    string Name,
    ParticipantLevel Level,
    IReadOnlyList<string> Emails,
    string Language);

/// <summary>The language a participant is written to in; the directory keeps it as an ISO 639-1 code.</summary>
public static class Languages
{
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal) { "nl", "fr", "de", "en" };
}
