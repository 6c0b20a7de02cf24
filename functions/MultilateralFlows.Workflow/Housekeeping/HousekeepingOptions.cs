using System.ComponentModel.DataAnnotations;
using NCrontab;

namespace MultilateralFlows.Housekeeping;

/// <summary>
/// When and how housekeeping runs (<c>Housekeeping__*</c>): the stuck-round watchdog, then the clean-up of the engine's
/// records of finished rounds. The schedule is the one setting both hosts read the same way: the Functions app's timer
/// trigger and the local host's timer.
/// </summary>
public sealed class HousekeepingOptions : IValidatableObject
{
    public const string SectionName = "Housekeeping";

    /// <summary>
    /// The Functions app resolves its timer's schedule from this setting by name, as a configuration key (the environment
    /// variable <c>Housekeeping__Schedule</c> is the key <c>Housekeeping:Schedule</c>).
    /// </summary>
    public const string ScheduleSetting = "%Housekeeping:Schedule%";

    /// <summary>When housekeeping runs: a six-field NCRONTAB expression with seconds, in UTC (default: every hour at :07).</summary>
    [Required]
    public string Schedule { get; set; } = "0 7 * * * *";

    /// <summary>How long a finished round's engine history is kept after it finished: long enough to look into what happened.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many finished instances are read (and purged) at a time.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>How long one run may purge before it stops and leaves the rest to the next run.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old a round must be before the watchdog may call it stuck: a round is stored a moment before its workflow is
    /// scheduled (a start, a linked round), and a start whose process died is taken over by a retry after a minute.
    /// </summary>
    public TimeSpan StuckRoundGrace { get; set; } = TimeSpan.FromMinutes(10);

    static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    public CrontabSchedule ParsedSchedule() => CrontabSchedule.Parse(Schedule, WithSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CrontabSchedule.TryParse(Schedule, WithSeconds) is null)
        {
            yield return new ValidationResult(
                $"Housekeeping:Schedule: '{Schedule}' is not a six-field NCRONTAB expression (second minute hour day month weekday).",
                [nameof(Schedule)]);
        }

        if (Retention < TimeSpan.Zero)
        {
            yield return new ValidationResult("Housekeeping:Retention cannot be negative.", [nameof(Retention)]);
        }

        if (StuckRoundGrace < TimeSpan.Zero)
        {
            yield return new ValidationResult("Housekeeping:StuckRoundGrace cannot be negative.", [nameof(StuckRoundGrace)]);
        }

        if (TimeLimit <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Housekeeping:TimeLimit must be positive.", [nameof(TimeLimit)]);
        }
    }
}
