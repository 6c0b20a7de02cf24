using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Demo;

/// <summary>
/// One complete consultation through a running host, as people would drive it, over HTTP. The coordinator starts a
/// COORMULTI round naming three Flemish policy areas, so Flanders first agrees its position in a linked SOIA round: the
/// areas reply through the links they find in the mail folder, the Flemish coordinator settles the item they diverge on and
/// approves, and the SOIA position becomes Flanders' reply; the other entities reply; the federal coordinator settles the
/// budget into one agreed text and approves, and the final position, with no item left unsettled, is returned. Nothing in it bypasses the
/// API, so it runs the same against the local host and the Functions app.
/// </summary>
public sealed class DemoRound(DemoOptions options, TextWriter log)
{
    /// <summary>What each participant of the sample dossier answers, per item.</summary>
    static readonly Dictionary<string, (string Item, string Stance, string? Remarks)[]> Answers = new()
    {
        ["education"] =
        [
            ("5.I", "AgreeWithRemarks", "Keep the SDG 4 allocation at least at its 42 C/5 level."),
            ("12", "Agree", null),
            ("27", "NotCompetent", null),
        ],
        ["culture-youth-media"] =
        [
            ("5.I", "Objection", "Zero real growth would cut the heritage programmes by 4 %; we propose moving the cut to administration."),
            ("12", "NotCompetent", null),
            ("27", "NotCompetent", null),
        ],
        ["economy-science-innovation"] =
        [
            ("5.I", "Agree", null),
            ("12", "AgreeWithRemarks", "Refer to the Flemish research ethics code for neurotechnology."),
            ("27", "AgreeWithRemarks", "VLIZ can present the results at the next IOC session."),
        ],
        ["federal"] = [("5.I", "Agree", null), ("12", "Agree", null), ("27", "Agree", null)],
        ["wallonia"] = [("5.I", "Agree", null), ("12", "NotCompetent", null), ("27", "Agree", null)],
        ["french-community"] =
        [
            ("5.I", "AgreeWithRemarks", "Safeguard the Fonds du patrimoine mondial."),
            ("12", "Agree", null),
            ("27", "NotCompetent", null),
        ],
        ["german-community"] = [("5.I", "Agree", null), ("12", "Agree", null), ("27", "NotCompetent", null)],
    };

    /// <summary>
    /// How each coordinator settles items before approving: in SOIA the areas diverge on the budget (culture objects), and
    /// the Flemish coordinator settles it with a compromise; in COORMULTI everyone agrees on it, with remarks that the
    /// federal coordinator settles into one agreed Belgian text. A divergent item without a settlement here stops the demo.
    /// </summary>
    static readonly Dictionary<(string Procedure, string Item), JsonObject> Settlements = new()
    {
        [("SOIA", "5.I")] = new JsonObject
        {
            ["how"] = "Compromise",
            ["text"] = "Flanders accepts zero real growth provided the SDG 4 allocation stays at its 42 C/5 level and the heritage "
                + "programmes are spared: the savings come from administration.",
            ["comments"] = "Agreed at the SOIA meeting.",
        },
        [("COORMULTI", "5.I")] = new JsonObject
        {
            ["how"] = "Consensus",
            ["text"] = "Belgium supports zero real growth, with the SDG 4 allocation and the World Heritage Fund safeguarded and "
                + "the savings made in administration.",
            ["comments"] = "Agreed at the COORMULTI meeting.",
        },
    };

    static readonly TimeSpan PatienceForEachStep = TimeSpan.FromMinutes(2);

    /// <summary>Runs the round to its final position and returns it as Markdown.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = options.BaseUrl };
        if (options.FunctionKey is { } key)
        {
            http.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        var request = JsonNode.Parse(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sample-round.json"), cancellationToken))!.AsObject();
        request["deadline"] = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var started = await http.PostAsJsonAsync("/api/rounds", request, cancellationToken);
        var roundId = started.IsSuccessStatusCode
            ? (await started.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["id"]?.GetValue<string>()
            : null;
        if (roundId is null)
        {
            throw new InvalidOperationException(
                $"The round did not start: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync(cancellationToken)}");
        }

        log.WriteLine(
            $"Demo: COORMULTI round {roundId} started on {options.BaseUrl}; replies come from the links in " +
            $"{options.MailFolder}");

        var linkedId = await WaitForAsync(async () =>
            (await http.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}", cancellationToken))
                ?["linkedRounds"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>(),
            "the linked SOIA round", cancellationToken);
        log.WriteLine($"Demo: Flanders agrees its position first in SOIA round {linkedId}");
        await ReplyAsync(http, linkedId, ["education", "culture-youth-media", "economy-science-innovation"], cancellationToken);
        await ApproveAsync(http, linkedId, cancellationToken);

        await ReplyAsync(http, roundId, ["federal", "wallonia", "french-community", "german-community"], cancellationToken);
        await ApproveAsync(http, roundId, cancellationToken);
        return await http.GetStringAsync($"/api/rounds/{roundId}/position?format=md", cancellationToken);
    }

    async Task ReplyAsync(HttpClient http, string roundId, IEnumerable<string> participants, CancellationToken cancellationToken)
    {
        var mailFolder = new MailFolder(options.MailFolder);
        foreach (var participant in participants)
        {
            var link = await WaitForAsync(
                () => Task.FromResult(mailFolder.For(roundId).FirstOrDefault(m => m.ParticipantId == participant)?.ReplyLink),
                $"the request e-mail to {participant}", cancellationToken);
            var body = new JsonObject
            {
                ["items"] = new JsonArray(Answers[participant]
                    .Select(a => (JsonNode)new JsonObject { ["itemId"] = a.Item, ["stance"] = a.Stance, ["remarks"] = a.Remarks })
                    .ToArray()),
            };

            // The link carries the public base URL; the demo talks to the host it was given.
            using var reply = await http.PostAsJsonAsync(new Uri(link).PathAndQuery, body, cancellationToken);
            reply.EnsureSuccessStatusCode();
            log.WriteLine($"Demo: {participant} replied in round {roundId}");
        }
    }

    async Task ApproveAsync(HttpClient http, string roundId, CancellationToken cancellationToken)
    {
        await WaitForAsync(
            async () => await PhaseAsync(http, roundId, cancellationToken) == "Reviewing" ? "ok" : null,
            $"the draft of round {roundId}",
            cancellationToken);
        await SettleAsync(http, roundId, cancellationToken);
        using var approved = await http.PostAsJsonAsync(
            $"/api/rounds/{roundId}/review", new JsonObject { ["decision"] = "approve" }, cancellationToken);
        approved.EnsureSuccessStatusCode();
        await WaitForAsync(
            async () => await PhaseAsync(http, roundId, cancellationToken) == "Final" ? "ok" : null,
            $"the final position of round {roundId}",
            cancellationToken);
        log.WriteLine($"Demo: the coordinator approved round {roundId}");
    }

    /// <summary>
    /// Settles the items the coordinator has a settlement for, and waits for the draft that shows them all: a divergent
    /// item left unsettled would make the approval refused.
    /// </summary>
    async Task SettleAsync(HttpClient http, string roundId, CancellationToken cancellationToken)
    {
        var draft = (await http.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position", cancellationToken))!;
        var procedure = draft["procedure"]!.GetValue<string>();
        var settledAt = new Dictionary<string, string>();
        foreach (var item in draft["items"]!.AsArray())
        {
            var itemId = item!["itemId"]!.GetValue<string>();
            if (!Settlements.TryGetValue((procedure, itemId), out var settlement))
            {
                if (item["outcome"]!.GetValue<string>() == "Divergence")
                {
                    throw new InvalidOperationException($"Item {itemId} of round {roundId} diverges and the demo has no settlement for it.");
                }

                continue;
            }

            using var settled = await http.PostAsJsonAsync($"/api/rounds/{roundId}/items/{itemId}/settlement", settlement, cancellationToken);
            if (!settled.IsSuccessStatusCode)
            {
                var why = await settled.Content.ReadAsStringAsync(cancellationToken);
                throw new InvalidOperationException($"Settling item {itemId} of round {roundId}: {(int)settled.StatusCode} {why}");
            }

            var answer = (await settled.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
            settledAt[itemId] = answer["settlement"]!["settledAt"]!.GetValue<string>();
            log.WriteLine($"Demo: the coordinator settled item {itemId} of round {roundId} ({settlement["how"]})");
        }

        await WaitForAsync(
            async () =>
            {
                var latest = (await http.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position", cancellationToken))!;
                var shown = latest["items"]!.AsArray().ToDictionary(
                    i => i!["itemId"]!.GetValue<string>(), i => i!["settlement"]?["settledAt"]?.GetValue<string>());
                return settledAt.All(s => shown[s.Key] is { } at && DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) ==
                    DateTimeOffset.Parse(s.Value, CultureInfo.InvariantCulture)) ? "ok" : null;
            },
            $"the draft of round {roundId} with the settlements",
            cancellationToken);
    }

    static async Task<string?> PhaseAsync(HttpClient http, string roundId, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}", cancellationToken))?["phase"]?.GetValue<string>();

    static async Task<string> WaitForAsync(Func<Task<string?>> probe, string what, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + PatienceForEachStep;
        while (true)
        {
            if (await probe() is { Length: > 0 } found)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The demo waited {PatienceForEachStep.TotalMinutes} minutes for {what}.");
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
