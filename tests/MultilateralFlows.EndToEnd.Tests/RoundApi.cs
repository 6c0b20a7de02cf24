using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests;

/// <summary>The coordinator's and participants' HTTP calls, as the end-to-end tests make them.</summary>
public static class RoundApi
{
    public static async Task<string> StartAsync(this HostProcess host, JsonObject request)
    {
        using var response = await host.Client.PostAsJsonAsync("/api/rounds", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Start failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> StatusAsync(this HostProcess host, string roundId)
    {
        try
        {
            return (await host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}"))!;
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            // Nothing answers: say what the host printed last, which tells why it went away.
            var output = host.AllOutput;
            throw new HttpRequestException($"The {host.Kind} host does not answer ({e.Message}); its last output:\n{output[Math.Max(0, output.Length - 12_000)..]}", e);
        }
    }

    /// <summary>Polls the round's status until its phase is <paramref name="phase"/>.</summary>
    public static async Task<JsonObject> WaitForPhaseAsync(this HostProcess host, string roundId, string phase, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            JsonObject status;
            try
            {
                status = await host.StatusAsync(roundId);
            }
            catch (HttpRequestException e) when (e.StatusCode is null && DateTime.UtcNow < until)
            {
                // Not answering for a moment: a host being started again (after a crash test's kill, or by its platform).
                await Task.Delay(500);
                continue;
            }

            if (status["phase"]!.GetValue<string>() == phase)
            {
                return status;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Round {roundId} did not reach {phase}: {status.ToJsonString()}\n{host.Output}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Posts a settlement of an item; the answer as it came.</summary>
    public static Task<HttpResponseMessage> PostSettlementAsync(this HostProcess host, string roundId, string itemId, object settlement) =>
        host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/items/{Uri.EscapeDataString(itemId)}/settlement", settlement);

    /// <summary>
    /// Settles an item of a round in review, then waits for the draft that shows this settlement: the draft an approval
    /// needs. Returns that draft.
    /// </summary>
    public static async Task<JsonObject> SettleAsync(this HostProcess host, string roundId, string itemId, object settlement)
    {
        using var response = await host.PostSettlementAsync(roundId, itemId, settlement);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Settling {itemId} failed: {(int)response.StatusCode} {body}");
        var settledAt = DateTimeOffset.Parse(JsonNode.Parse(body)!["settlement"]!["settledAt"]!.GetValue<string>());
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var draft = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position"))!;
            var shown = draft["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == itemId)!["settlement"]?["settledAt"]?.GetValue<string>();
            if (shown is not null && DateTimeOffset.Parse(shown) == settledAt)
            {
                return draft;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No draft of round {roundId} shows the settlement of {itemId}: {draft.ToJsonString()}\n{host.Output}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Settles every divergent item of the latest draft not settled yet by a compromise text, as a coordinator would before approving.</summary>
    public static async Task SettleDivergentItemsAsync(this HostProcess host, string roundId)
    {
        var draft = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position"))!;
        foreach (var item in draft["items"]!.AsArray().Where(i => i!["outcome"]!.GetValue<string>() == "Divergence" && i["settlement"] is null))
        {
            var itemId = item!["itemId"]!.GetValue<string>();
            await host.SettleAsync(roundId, itemId, new { how = "Compromise", text = $"The compromise text on item {itemId}." });
        }
    }

    public static async Task<HttpResponseMessage> ReplyJsonAsync(string link, params (string ItemId, string Stance, string? Remarks)[] items)
    {
        using var client = new HttpClient();
        var body = new JsonObject
        {
            ["items"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["itemId"] = i.ItemId, ["stance"] = i.Stance, ["remarks"] = i.Remarks }).ToArray()),
        };
        return await client.PostAsJsonAsync(link, body);
    }

    /// <summary>Replies through a link and checks it was recorded.</summary>
    public static async Task ReplyOkAsync(string link, params (string ItemId, string Stance, string? Remarks)[] items)
    {
        using var response = await ReplyJsonAsync(link, items);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task<HttpResponseMessage> ReplyFormAsync(string link, params (string ItemId, string Stance, string? Remarks)[] items)
    {
        using var client = new HttpClient();
        var fields = items.SelectMany(i => new[]
        {
            KeyValuePair.Create($"stance.{i.ItemId}", i.Stance),
            KeyValuePair.Create($"remarks.{i.ItemId}", i.Remarks ?? ""),
        });
        return await client.PostAsync(link, new FormUrlEncodedContent(fields));
    }
}
