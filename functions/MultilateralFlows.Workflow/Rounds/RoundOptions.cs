using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace MultilateralFlows.Rounds;

/// <summary>
/// How rounds are timed and bounded (<c>Rounds__ReminderOffsets</c>, <c>Rounds__LinkedRoundLead</c>,
/// <c>Rounds__ParentDeadlineWarning</c>, <c>Rounds__MaxVersionsPerParticipant</c>); all optional.
/// </summary>
public sealed class RoundOptions : IValidatableObject
{
    public const string SectionName = "Rounds";

    /// <summary>When non-responders are reminded: comma-separated times before the deadline (d.hh:mm:ss). Empty: no automatic reminders.</summary>
    public string ReminderOffsets { get; set; } = "2.00:00:00,1.00:00:00";

    /// <summary>How long before the COORMULTI deadline a linked SOIA round closes, so Flanders can agree its position in time.</summary>
    public TimeSpan LinkedRoundLead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long before the COORMULTI deadline both coordinators are warned that its linked SOIA round is not approved yet;
    /// zero: no warning. Never more than half the time from the SOIA round's opening to that deadline (see
    /// <see cref="ParentDeadlineWarningAt"/>).
    /// </summary>
    public TimeSpan ParentDeadlineWarning { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The most versions one participant may send in a round, reopened iterations included: far beyond what a desk
    /// officer amends, and a bound on what a link holder can make the round store, e-mail and replay.
    /// </summary>
    public int MaxVersionsPerParticipant { get; set; } = 50;

    public IReadOnlyList<TimeSpan> ParsedReminderOffsets() =>
        ReminderOffsets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => TimeSpan.Parse(part, CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>
    /// When a linked SOIA round opened at <paramref name="now"/> warns that it is not approved yet: <see cref="ParentDeadlineWarning"/>
    /// before the COORMULTI deadline, but at the earliest halfway from now to it, so that a short round is not warned at
    /// its start. Null without a warning (zero) or when the deadline has passed.
    /// </summary>
    public DateTimeOffset? ParentDeadlineWarningAt(DateTimeOffset parentDeadline, DateTimeOffset now)
    {
        if (ParentDeadlineWarning <= TimeSpan.Zero || parentDeadline <= now)
        {
            return null;
        }

        var lead = TimeSpan.FromTicks(Math.Min(ParentDeadlineWarning.Ticks, (parentDeadline - now).Ticks / 2));
        return parentDeadline - lead;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var part in ReminderOffsets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var offset) || offset <= TimeSpan.Zero)
            {
                yield return new ValidationResult(
                    $"Rounds:ReminderOffsets: '{part}' is not a positive time span (d.hh:mm:ss).", [nameof(ReminderOffsets)]);
            }
        }

        if (MaxVersionsPerParticipant < 1)
        {
            yield return new ValidationResult("Rounds:MaxVersionsPerParticipant must be at least 1.", [nameof(MaxVersionsPerParticipant)]);
        }

        if (LinkedRoundLead < TimeSpan.Zero)
        {
            yield return new ValidationResult("Rounds:LinkedRoundLead cannot be negative.", [nameof(LinkedRoundLead)]);
        }

        if (ParentDeadlineWarning < TimeSpan.Zero)
        {
            yield return new ValidationResult("Rounds:ParentDeadlineWarning cannot be negative.", [nameof(ParentDeadlineWarning)]);
        }
    }
}
