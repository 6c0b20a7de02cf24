using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Http;

/// <summary>
/// The OpenAPI document as both hosts serve it, and a whole round whose every answer (successes, refusals, pages)
/// is checked against it: the status declared for the route, the media type declared for the status, the JSON body
/// valid under the declared schema. Response schemas are closed, so a field the document does not describe fails.
/// </summary>
public abstract class OpenApiEndToEndTests(HostKind kind) : HostTest(kind)
{
    static readonly string SourceFile =
        Path.Combine(RepositoryPaths.Root, "functions", "MultilateralFlows.Workflow", "Http", "OpenApi", "openapi.json");

    [SkippableFact]
    public async Task Document_CallerWithoutAKey_GetsTheDocumentOfTheRepositoryAsJsonCacheableForFiveMinutes()
    {
        // No function key: the document is anonymous on both hosts (the shared client of the Functions host sends one).
        using var anyone = new HttpClient { BaseAddress = new Uri(Host.BaseUrl) };

        using var response = await anyone.GetAsync("/api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl is { Public: true, NoStore: false }, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl.MaxAge);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        // Both hosts serve exactly the file: the same document.
        Assert.Equal(await File.ReadAllBytesAsync(SourceFile), await response.Content.ReadAsByteArrayAsync());
    }

    [SkippableFact]
    public async Task Round_EveryAnswerFromStartToFinal_MatchesTheDocument()
    {
        var contract = await ApiContract.LoadAsync(Host.Client);
        var client = Host.Client;
        var organisation = $"OpenAPI {Guid.NewGuid():N}"[..24];
        var request = RoundRequests.Soia("education", "environment").With("organisation", organisation);

        // Start, the same again under its Idempotency-Key, and refusals.
        var key = Guid.NewGuid().ToString();
        string roundId;
        using (var start = await SendAsync(HttpMethod.Post, "/api/rounds", request, ("Idempotency-Key", key), ("X-Acting-Coordinator", "jan.peeters@diplobel.fed.be")))
        {
            roundId = (await contract.CheckAsync(start, "POST", "rounds", 202))!["id"]!.GetValue<string>();
        }

        using (var again = await SendAsync(HttpMethod.Post, "/api/rounds", request, ("Idempotency-Key", key)))
        {
            Assert.Equal(roundId, (await contract.CheckAsync(again, "POST", "rounds", 202))!["id"]!.GetValue<string>());
        }

        using (var invalid = await client.PostAsJsonAsync("/api/rounds", new { procedure = "SOIA", deadline = "tomorrow" }))
        {
            Assert.NotNull((await contract.CheckAsync(invalid, "POST", "rounds", 400))!["errors"]!["deadline"]);
        }

        using (var notJson = await client.PostAsync("/api/rounds", new StringContent(request.ToJsonString(), Encoding.UTF8, "text/plain")))
        {
            await contract.CheckAsync(notJson, "POST", "rounds", 415);
        }

        using (var notAPerson = await SendAsync(HttpMethod.Post, "/api/rounds", request, ("X-Acting-Coordinator", "the coordinator")))
        {
            Assert.NotNull((await contract.CheckAsync(notAPerson, "POST", "rounds", 400))!["errors"]!["X-Acting-Coordinator"]);
        }

        // Reading while it collects.
        await contract.CheckAsync(await client.GetAsync($"/api/rounds?organisation={Uri.EscapeDataString(organisation)}"), "GET", "rounds", 200);
        await contract.CheckAsync(await client.GetAsync("/api/rounds?top=0"), "GET", "rounds", 400);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}"), "GET", "rounds/{id}", 200);
        await contract.CheckAsync(await client.GetAsync("/api/rounds/00000000000000000000000000000000"), "GET", "rounds/{id}", 404);
        await contract.CheckAsync(await client.GetAsync("/api/rounds/NOT_A_ROUND"), "GET", "rounds/{id}", 404);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/audit"), "GET", "rounds/{id}/audit", 200);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/position"), "GET", "rounds/{id}/position", 404);
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }), "POST", "rounds/{id}/review", 409);
        await contract.CheckAsync(
            await Host.PostSettlementAsync(roundId, "99", new { how = "Consensus" }), "POST", "rounds/{id}/items/{itemId}/settlement", 404);

        // The participants, through their links: the page, a JSON reply, a refused one.
        var links = (await Host.MailFolder.WaitForAsync(roundId, 2)).ToDictionary(m => m.ParticipantId, m => m.ReplyLink);
        using (var anyone = new HttpClient())
        {
            await contract.CheckAsync(await anyone.GetAsync(links["education"]), "GET", "reply/{token}", 200);
            await contract.CheckAsync(await anyone.GetAsync(links["education"][..^2]), "GET", "reply/{token}", 404);
        }

        await contract.CheckAsync(
            await RoundApi.ReplyJsonAsync(links["education"], ("5.I", "AgreeWithRemarks", "Keep SDG 4 whole."), ("12", "Agree", null)),
            "POST", "reply/{token}", 200);
        await contract.CheckAsync(await RoundApi.ReplyJsonAsync(links["environment"], ("5.I", "Maybe", null)), "POST", "reply/{token}", 400);
        await contract.CheckAsync(await RoundApi.ReplyFormAsync(links["environment"], ("5.I", "Objection", null)), "POST", "reply/{token}", 400);

        // The coordinator's actions while it collects.
        var later = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-ddTHH:mm:ssZ");
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/deadline", new { deadline = later }), "POST", "rounds/{id}/deadline", 202);
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/deadline", new { deadline = "2020-01-01" }), "POST", "rounds/{id}/deadline", 400);
        await contract.CheckAsync(await client.PostAsync($"/api/rounds/{roundId}/reminders", null), "POST", "rounds/{id}/reminders", 202);
        await Host.MailFolder.WaitForAsync(roundId, 1, "Reminder");

        // The last reply, as a form post: the confirmation page; then the round is in review.
        await contract.CheckAsync(
            await RoundApi.ReplyFormAsync(links["environment"], ("5.I", "Objection", "Not without dual learning."), ("12", "Agree", null)),
            "POST", "reply/{token}", 200);
        await Host.WaitForPhaseAsync(roundId, "Reviewing");
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/position"), "GET", "rounds/{id}/position", 200);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/position?format=md"), "GET", "rounds/{id}/position", 200);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/position?format=html"), "GET", "rounds/{id}/position", 200);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/position?format=xml"), "GET", "rounds/{id}/position", 400);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/position?version=9"), "GET", "rounds/{id}/position", 404);
        await contract.CheckAsync(await client.PostAsync($"/api/rounds/{roundId}/reminders", null), "POST", "rounds/{id}/reminders", 409);
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }), "POST", "rounds/{id}/review", 409);

        // Settling the divergent item (sent again, the same settlement answers the same), then the approval.
        await contract.CheckAsync(
            await Host.PostSettlementAsync(roundId, "5.I", new { how = "Compromise" }), "POST", "rounds/{id}/items/{itemId}/settlement", 400);
        var compromise = new { how = "Compromise", text = "Flanders supports the budget with SDG 4 and dual learning." };
        await Host.SettleAsync(roundId, "5.I", compromise);
        await contract.CheckAsync(await Host.PostSettlementAsync(roundId, "5.I", compromise), "POST", "rounds/{id}/items/{itemId}/settlement", 202);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}"), "GET", "rounds/{id}", 200);
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }), "POST", "rounds/{id}/review", 202);
        await Host.WaitForPhaseAsync(roundId, "Final");

        // Once final: everything reads, nothing more is taken.
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}"), "GET", "rounds/{id}", 200);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/audit"), "GET", "rounds/{id}/audit", 200);
        await contract.CheckAsync(await client.GetAsync($"/api/rounds/{roundId}/position?version=1"), "GET", "rounds/{id}/position", 200);
        await contract.CheckAsync(await RoundApi.ReplyJsonAsync(links["education"], ("12", "Objection", "Too late.")), "POST", "reply/{token}", 410);
        using (var anyone = new HttpClient())
        {
            await contract.CheckAsync(await anyone.GetAsync(links["education"]), "GET", "reply/{token}", 410);
        }

        await contract.CheckAsync(await client.PostAsync($"/api/rounds/{roundId}/cancel", null), "POST", "rounds/{id}/cancel", 409);
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/deadline", new { deadline = later }), "POST", "rounds/{id}/deadline", 409);
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/late-contributions/flanders", new { decision = "accept" }),
            "POST", "rounds/{id}/late-contributions/{participant}", 409);
        await contract.CheckAsync(
            await client.PostAsJsonAsync($"/api/rounds/{roundId}/late-contributions/education", new { decision = "accept" }),
            "POST", "rounds/{id}/late-contributions/{participant}", 404);

        // The routes outside the round: health, and SendGrid's webhook refusing an unsigned batch (401, or 503 where no key is set).
        await contract.CheckAsync(await client.GetAsync("/api/health"), "GET", "health", 200);
        await contract.CheckAsync(await client.PostAsJsonAsync("/api/email/events", new JsonArray()), "POST", "email/events");

        Assert.True(contract.ValidatedBodies >= 30, $"Only {contract.ValidatedBodies} JSON answers were checked.");
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject body, params (string Name, string Value)[] headers)
    {
        using var message = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers)
        {
            message.Headers.Add(name, value);
        }

        return await Host.Client.SendAsync(message);
    }

    public sealed class OnLocalHost() : OpenApiEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : OpenApiEndToEndTests(HostKind.Functions);
}
