using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email;

namespace MultilateralFlows.LocalHost.Demo;

/// <summary>
/// <c>--demo</c>: drives one complete consultation through the running host, as people would, over HTTP. The coordinator
/// starts a COORMULTI round naming three Flemish policy areas, so Flanders first agrees its position in a linked SOIA
/// round: the areas reply through the links they find in the outbox, the SOIA draft is approved and becomes Flanders'
/// reply; the other entities reply; the Belgian draft is approved and the final position is printed. Nothing in it
/// bypasses the API.
/// </summary>
public sealed partial class DemoRound(IOptions<LocalHostOptions> host, IOptions<OutboxOptions> outbox, IHostApplicationLifetime lifetime, ILogger<DemoRound> logger) : BackgroundService
{
    /// <summary>What each participant of the sample dossier answers, per item.</summary>
    static readonly Dictionary<string, (string Item, string Stance, string? Remarks)[]> Answers = new()
    {
        ["education"] = [("5.I", "AgreeWithRemarks", "Keep the SDG 4 allocation at least at its 42 C/5 level."), ("12", "Agree", null), ("27", "NotCompetent", null)],
        ["culture-youth-media"] = [("5.I", "Objection", "Zero real growth would cut the heritage programmes by 4 %; we propose moving the cut to administration."), ("12", "NotCompetent", null), ("27", "NotCompetent", null)],
        ["economy-science-innovation"] = [("5.I", "Agree", null), ("12", "AgreeWithRemarks", "Refer to the Flemish research ethics code for neurotechnology."), ("27", "AgreeWithRemarks", "VLIZ can present the results at the next IOC session.")],
        ["federal"] = [("5.I", "Agree", null), ("12", "Agree", null), ("27", "Agree", null)],
        ["wallonia"] = [("5.I", "Agree", null), ("12", "NotCompetent", null), ("27", "Agree", null)],
        ["french-community"] = [("5.I", "AgreeWithRemarks", "Safeguard the Fonds du patrimoine mondial."), ("12", "Agree", null), ("27", "NotCompetent", null)],
        ["german-community"] = [("5.I", "Agree", null), ("12", "Agree", null), ("27", "NotCompetent", null)],
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://{host.Value.BindAddress}:{host.Value.Port}") };
        try
        {
            var position = await RunAsync(http, stoppingToken);
            Console.WriteLine();
            Console.WriteLine("===== Consolidated Belgian position (demo round) =====");
            Console.WriteLine(position);
            Console.WriteLine("===== The local host keeps running on {0}; press Ctrl-C to stop. =====", http.BaseAddress);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The demo round failed");
        }
    }

    async Task<string> RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Demo", "sample-round.json"), cancellationToken))!.AsObject();
        request["deadline"] = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var started = await http.PostAsJsonAsync("/api/rounds", request, cancellationToken);
        var roundId = (await started.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"The round did not start: {(int)started.StatusCode}");
        logger.LogInformation("Demo: COORMULTI round {RoundId} started; replies come from the links in {Outbox}", roundId, outbox.Value.Path);

        var linkedId = await WaitForAsync(async () =>
            (await http.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}", cancellationToken))?["linkedRounds"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>(),
            "the linked SOIA round", cancellationToken);
        logger.LogInformation("Demo: Flanders agrees its position first in SOIA round {LinkedRoundId}", linkedId);
        await ReplyAsync(http, linkedId, ["education", "culture-youth-media", "economy-science-innovation"], cancellationToken);
        await ApproveAsync(http, linkedId, cancellationToken);

        await ReplyAsync(http, roundId, ["federal", "wallonia", "french-community", "german-community"], cancellationToken);
        await ApproveAsync(http, roundId, cancellationToken);
        return await http.GetStringAsync($"/api/rounds/{roundId}/position?format=md", cancellationToken);
    }

    async Task ReplyAsync(HttpClient http, string roundId, IEnumerable<string> participants, CancellationToken cancellationToken)
    {
        foreach (var participant in participants)
        {
            var link = await WaitForAsync(() => Task.FromResult(ReadLink(roundId, participant)), $"the request e-mail to {participant}", cancellationToken);
            var body = new JsonObject
            {
                ["items"] = new JsonArray(Answers[participant].Select(a => (JsonNode)new JsonObject { ["itemId"] = a.Item, ["stance"] = a.Stance, ["remarks"] = a.Remarks }).ToArray()),
            };
            using var reply = await http.PostAsJsonAsync(new Uri(link).PathAndQuery, body, cancellationToken);
            reply.EnsureSuccessStatusCode();
            logger.LogInformation("Demo: {Participant} replied in round {RoundId}", participant, roundId);
        }
    }

    async Task ApproveAsync(HttpClient http, string roundId, CancellationToken cancellationToken)
    {
        await WaitForAsync(async () => await PhaseAsync(http, roundId, cancellationToken) == "Reviewing" ? "ok" : null, $"the draft of round {roundId}", cancellationToken);
        using var approved = await http.PostAsJsonAsync($"/api/rounds/{roundId}/review", new JsonObject { ["decision"] = "approve" }, cancellationToken);
        approved.EnsureSuccessStatusCode();
        await WaitForAsync(async () => await PhaseAsync(http, roundId, cancellationToken) == "Final" ? "ok" : null, $"the final position of round {roundId}", cancellationToken);
        logger.LogInformation("Demo: the coordinator approved round {RoundId}", roundId);
    }

    static async Task<string?> PhaseAsync(HttpClient http, string roundId, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}", cancellationToken))?["phase"]?.GetValue<string>();

    string? ReadLink(string roundId, string participant)
    {
        var file = Path.Combine(Path.GetFullPath(outbox.Value.Path), $"{roundId}.{participant}.{MessageKind.Request}.1.json");
        if (!File.Exists(file))
        {
            return null;
        }

        using var payload = JsonDocument.Parse(File.ReadAllText(file));
        var text = payload.RootElement.GetProperty("content")[0].GetProperty("value").GetString() ?? "";
        return ReplyLink().Match(text).Value;
    }

    static async Task<string> WaitForAsync(Func<Task<string?>> probe, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (await probe() is { Length: > 0 } found)
            {
                return found;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"The demo waited a minute for {what}.");
    }

    async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, stoppingToken));
        return started.Task.IsCompleted;
    }

    [GeneratedRegex(@"https?://\S+/api/reply/[A-Za-z0-9_-]+")]
    private static partial Regex ReplyLink();
}
