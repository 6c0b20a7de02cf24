namespace MultilateralFlows.Email;

/// <summary>What the coordinator is told about.</summary>
public enum NoticeKind
{
    /// <summary>A draft position is ready for review.</summary>
    PositionReady,

    /// <summary>The position was approved as final.</summary>
    PositionFinal,
}

/// <summary>A notice to a round's coordinator; <see cref="Sequence"/> (the position version) makes each notice its own message.</summary>
public sealed record CoordinatorNotice(string RoundId, NoticeKind Kind, int Sequence, string? Participant = null);
