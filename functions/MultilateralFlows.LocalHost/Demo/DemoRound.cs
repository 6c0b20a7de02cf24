using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MultilateralFlows.Email;

namespace MultilateralFlows.LocalHost.Demo;

/// <summary>
/// <c>--demo</c>: drives one complete round through the running host, as people would, over HTTP: the coordinator starts
/// the sample dossier, each participant replies through the link it finds in the outbox, and the consolidated position
/// is printed. Nothing in it bypasses the API.
/// </summary>
public sealed partial class DemoRound(IOptions<LocalHostOptions> host, IOptions<OutboxOptions> outbox, IHostApplicationLifetime lifetime, ILogger<DemoRound> logger) : BackgroundService
{
    /// <summary>What each participant of the sample dossier answers, per item.</summary>
    static readonly Dictionary<string, (string Item, string Stance, string? Remarks)[]> Answers = new()
    {
        ["foreign-affairs"] = [("5.I", "Agree", null), ("12", "Agree", null), ("27", "Agree", null)],
        ["education"] = [("5.I", "AgreeWithRemarks", "Keep the SDG 4 allocation at least at its 42 C/5 level."), ("12", "Agree", null), ("27", "NotCompetent", null)],
        ["culture-youth-media"] = [("5.I", "Objection", "Zero real growth would cut the heritage programmes by 4 %; we propose moving the cut to administration."), ("12", "NotCompetent", null), ("27", "NotCompetent", null)],
        ["economy-science-innovation"] = [("5.I", "Agree", null), ("12", "AgreeWithRemarks", "Refer to the Flemish AI and neurotechnology research ethics code."), ("27", "AgreeWithRemarks", "VLIZ can present the results at the next IOC session.")],
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
            Console.WriteLine("===== Consolidated position (demo round) =====");
            Console.WriteLine(position);
            Console.WriteLine("===== The local host keeps running; press Ctrl-C to stop. =====");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The demo round failed");
        }
    }

    async Task<string> RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Demo", "sample-round.json"), cancellationToken))!.AsObject();
        request["deadline"] = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        using var started = await http.PostAsJsonAsync("/api/rounds", request, cancellationToken);
        var accepted = await started.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        var roundId = accepted?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"The round did not start: {accepted}");
        logger.LogInformation("Demo: round {RoundId} started; replying through the links in {Outbox}", roundId, outbox.Value.Path);

        foreach (var (participant, answers) in Answers)
        {
            var link = await WaitForLinkAsync(roundId, participant, cancellationToken);
            var body = new JsonObject
            {
                ["items"] = new JsonArray(answers.Select(a => (JsonNode)new JsonObject { ["itemId"] = a.Item, ["stance"] = a.Stance, ["remarks"] = a.Remarks }).ToArray()),
            };
            using var reply = await http.PostAsJsonAsync(new Uri(link).PathAndQuery, body, cancellationToken);
            reply.EnsureSuccessStatusCode();
            logger.LogInformation("Demo: {Participant} replied", participant);
        }

        for (var attempt = 0; attempt < 240; attempt++)
        {
            var status = await http.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}", cancellationToken);
            if (status?["positionVersion"]?.GetValue<int>() > 0)
            {
                return await http.GetStringAsync($"/api/rounds/{roundId}/position?format=md", cancellationToken);
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"Round {roundId} did not produce a position in two minutes.");
    }

    async Task<string> WaitForLinkAsync(string roundId, string participant, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetFullPath(outbox.Value.Path), $"{roundId}.{participant}.{MessageKind.Request}.0.json");
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (File.Exists(file))
            {
                using var payload = JsonDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken));
                var text = payload.RootElement.GetProperty("content")[0].GetProperty("value").GetString() ?? "";
                return ReplyLink().Match(text).Value;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"No request e-mail for {participant} appeared in {file}.");
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
