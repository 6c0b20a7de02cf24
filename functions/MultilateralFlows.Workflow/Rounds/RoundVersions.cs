namespace MultilateralFlows.Rounds;

/// <summary>Numbers that must not collide between iterations of a round.</summary>
public static class RoundVersions
{
    /// <summary>Reminder n of iteration i: 100·i + n, so each reminder is its own message, sent once.</summary>
    public static int ReminderSequence(int iteration, int reminder) => (iteration * 100) + reminder;
}
