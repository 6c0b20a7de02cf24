using Microsoft.DurableTask;

namespace MultilateralFlows.Rounds;

/// <summary>
/// How a round waits: for its next <see cref="RoundSignal"/>, until a time. The mechanics the process need not show
/// live here: one wait for the round's event at a time, a signal delivered twice taken once, one durable timer kept
/// while the time to wait until stays the same, and the receipts sent trip after trip while the round waits.
/// </summary>
sealed class RoundInbox(TaskOrchestrationContext context, ReceiptTrips receipts, IEnumerable<RoundSignal>? delivered = null)
{
    readonly HashSet<string> taken = new(StringComparer.Ordinal);

    /// <summary>Signals delivered to an earlier history of the round and not taken there: taken first, in order.</summary>
    readonly Queue<RoundSignal> deliveredBefore = new(delivered ?? []);

    /// <summary>How many signals this history has received, each delivery counted: what its length grows with.</summary>
    public int SignalsReceived { get; private set; }
    readonly UpdatableTimer timer = new(context);
    Task<RoundSignal>? nextSignal;

    /// <summary>
    /// The next signal not taken before, or null when <paramref name="until"/> comes first (no time: only a signal ends
    /// the wait).
    /// </summary>
    public async Task<RoundSignal?> WaitAsync(DateTime? until)
    {
        // Bounded: each pass takes one signal sent by a person (or delivered twice) or a trip of receipts, or ends the
        // wait. History stays proportional to what people did.
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            // Not counted in SignalsReceived: they came in the input, not as events of this history.
            if (deliveredBefore.TryDequeue(out var earlier))
            {
                if (taken.Add(earlier.Id))
                {
                    return earlier;
                }

                continue;
            }

            nextSignal ??= context.WaitForExternalEvent<RoundSignal>(RoundSignal.EventName);
            receipts.SendNext();
            var waits = new List<Task> { nextSignal };
            if (timer.At(until) is { } due)
            {
                waits.Add(due);
            }

            if (receipts.OnItsWay is { } trip)
            {
                waits.Add(trip);
            }

            var first = await Task.WhenAny(waits);
            if (first == receipts.OnItsWay)
            {
                await receipts.ArrivedAsync();
                continue;
            }

            if (first != nextSignal)
            {
                timer.Fired();
                return null;
            }

            var signal = await nextSignal;
            nextSignal = null;
            SignalsReceived++;
            if (taken.Add(signal.Id))
            {
                return signal;
            }
        }
    }

    /// <summary>
    /// Every signal already delivered and not taken, in order, taken out of the inbox: what a round going on in a fresh
    /// history takes along. A signal that arrives later goes to the next history with the engine's carry-over; one the
    /// orchestration has buffered would be sent to itself as a new event, which the local host's engine does not deliver
    /// reliably in bulk, so none is left buffered.
    /// </summary>
    public IReadOnlyList<RoundSignal> TakeDelivered()
    {
        var delivered = new List<RoundSignal>(deliveredBefore);
        deliveredBefore.Clear();
        while ((nextSignal ??= context.WaitForExternalEvent<RoundSignal>(RoundSignal.EventName)).IsCompletedSuccessfully)
        {
            delivered.Add(nextSignal.Result);
            nextSignal = null;
        }

        return delivered.Where(signal => !taken.Contains(signal.Id)).ToList();
    }

    /// <summary>The round waits for no time any more (see <see cref="UpdatableTimer.Stop"/>).</summary>
    public void StopTimer() => timer.Stop();
}
