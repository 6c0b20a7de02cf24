using Microsoft.DurableTask;

namespace MultilateralFlows.Rounds;

/// <summary>
/// One durable timer whose time can change between waits. The timer already running is kept while the time stays the
/// same, so waiting again for the same time adds nothing to the history; another time (or none) cancels it and starts
/// the new one.
/// </summary>
sealed class UpdatableTimer(TaskOrchestrationContext context)
{
    Running? running;

    /// <summary>The timer for <paramref name="at"/> (null: no timer; the one running is cancelled).</summary>
    public Task? At(DateTime? at)
    {
        if (running is not null && running.At != at)
        {
            running.Cancel();
            running = null;
        }

        if (at is { } time && running is null)
        {
            running = new Running(context, time);
        }

        return running?.Fired;
    }

    /// <summary>The timer has fired: the next wait starts a new one.</summary>
    public void Fired() => running = null;

    /// <summary>
    /// No timer is waited for any more: an orchestration with a timer neither fired nor cancelled does not complete
    /// (seen on the Durable Task worker), so every way out of a round stops it.
    /// </summary>
    public void Stop() => At(null);

    sealed class Running
    {
        readonly CancellationTokenSource cancellation = new();

        public Running(TaskOrchestrationContext context, DateTime at)
        {
            At = at;
            Fired = context.CreateTimer(at, cancellation.Token);
        }

        public DateTime At { get; }

        public Task Fired { get; }

        // Cancelled synchronously: an orchestrator must not hand continuations to the thread pool.
        public void Cancel()
        {
            cancellation.Cancel();
            cancellation.Dispose();
        }
    }
}
