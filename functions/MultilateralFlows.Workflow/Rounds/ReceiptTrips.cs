namespace MultilateralFlows.Rounds;

/// <summary>
/// The receipts of the replies a round has taken in, sent in trips while it goes on: at most one trip on its way, of the
/// oldest <see cref="ReceiptsPerTrip"/> replies waiting, one e-mail batch per reply version. Replies that come in while a
/// trip is on its way wait for the next one, so a round sends few receipt activities per engine round trip rather than
/// one per reply, and never waits for a receipt to take in the next reply.
/// </summary>
sealed class ReceiptTrips(string roundId, Func<EmailBatch, Task> email, IEnumerable<RoundSignal>? carried = null)
{
    /// <summary>
    /// At most this many receipts are on their way at once. Activities leave their queue first in, first out: a burst of
    /// hundreds of receipts scheduled together would hold back the draft position that the last reply calls for.
    /// </summary>
    public const int ReceiptsPerTrip = 2 * ConsultationRound.EmailBatchSize;

    readonly List<RoundSignal> waiting = [.. carried ?? []];
    List<RoundSignal> onItsWayFor = [];

    /// <summary>The trip on its way, if any.</summary>
    public Task? OnItsWay { get; private set; }

    /// <summary>
    /// The replies whose receipts are not known to be sent: those on their way and those waiting. A round that goes on
    /// in a fresh history takes them along and sends them from there; a receipt the trip on its way did send is not sent
    /// again (the e-mail ledger keeps each once).
    /// </summary>
    public IReadOnlyList<RoundSignal> Unsent => [.. onItsWayFor, .. waiting];

    /// <summary>
    /// The reply's receipt goes in the next trip. A participant's versions that wait for the same trip get one receipt,
    /// for the latest: a burst of amendments from one link is one e-mail, not one per version.
    /// </summary>
    public void Add(RoundSignal reply)
    {
        waiting.RemoveAll(earlier => earlier.Participant == reply.Participant && earlier.Version < reply.Version);
        if (!waiting.Any(same => same.Participant == reply.Participant))
        {
            waiting.Add(reply);
        }
    }

    /// <summary>Sends the next trip, unless one is on its way or no receipt is waiting.</summary>
    public void SendNext()
    {
        if (OnItsWay is null && waiting.Count > 0)
        {
            var trip = waiting.Take(ReceiptsPerTrip).ToList();
            waiting.RemoveRange(0, trip.Count);
            onItsWayFor = trip;
            OnItsWay = Task.WhenAll(trip
                .GroupBy(reply => reply.Version)
                .Select(sameVersion => email(
                    EmailBatch.Receipts(roundId, sameVersion.Key, sameVersion.Select(reply => reply.Participant!).ToList())))
                .ToList());
        }
    }

    /// <summary>The trip on its way has arrived: the next one may go.</summary>
    public async Task ArrivedAsync()
    {
        if (OnItsWay is { } trip)
        {
            await trip;
            OnItsWay = null;
            onItsWayFor = [];
        }
    }

    /// <summary>Every receipt is sent: before the coordinator is told, and before the round moves on or ends.</summary>
    public async Task AllSentAsync()
    {
        SendNext();
        while (OnItsWay is not null)
        {
            await ArrivedAsync();
            SendNext();
        }
    }
}
