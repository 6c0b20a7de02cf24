using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// What figure 4 measures a host's reply endpoint against, on the endpoint's own backend: raw table upserts on the
/// local host (the storage floor), events raised through the Durable Functions HTTP API on the Functions host (the
/// least a reply delivered over HTTP to a durable round costs there).
/// </summary>
/// <param name="Name">How each of its runs is printed.</param>
/// <param name="Key">The prefix of its figures in the JSON.</param>
/// <param name="Request">A client's next request.</param>
/// <param name="Text">A run of it, in the table's floor column.</param>
public sealed record ReplyFloor(string Name, string Key, Func<int, int, Task> Request, Func<ReplyLoad.Result, string> Text)
{
    public static string Description(HostKind kind) =>
        kind == HostKind.Local ? "raw table upserts" : "events raised through the Durable Functions HTTP API";

    public static Task<ReplyFloor> StartAsync(
        HostKind kind, Backend backend, HttpClient http, MailFolderPoller mailFolder, IReadOnlyList<string> participants) =>
        kind == HostKind.Local ? RawUpsertsAsync(backend) : RaiseEventAsync(backend.Rounds(kind), http, mailFolder, participants);

    static async Task<ReplyFloor> RawUpsertsAsync(Backend backend)
    {
        var raw = backend.Storage.Tables.GetTableClient("RawUpserts");
        await raw.CreateIfNotExistsAsync();
        return new ReplyFloor("raw upsert", "rawUpsert", ReplyLoad.RawUpsert(raw), run => run.Text(" upserts/s"));
    }

    static async Task<ReplyFloor> RaiseEventAsync(
        RoundDriver rounds, HttpClient http, MailFolderPoller mailFolder, IReadOnlyList<string> participants)
    {
        var peer = new RaiseEventPeer(rounds.Host, http);
        // The peer's events go to a second round of the same size, also waiting for replies, so that the round the
        // replies go to replays its own history only, as it would in use.
        var roundId = await rounds.StartAsync(participants);
        await mailFolder.WaitForAsync(roundId, participants.Count);
        return new ReplyFloor(
            "raiseEvent",
            "raiseEvent",
            (client, n) => peer.RaiseAsync(roundId, participants[client % (participants.Count - 1)], n),
            run => $"raiseEvent API: {run.Text(errors: true)}");
    }
}
