using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>
/// Competences in a COORMULTI round: an entity not competent for an item is shown but neither blocks nor makes its
/// consensus; Flanders' areas are not asked about a Federal item; the position says per item who is competent and who leads.
/// </summary>
public abstract class CompetenceEndToEndTests(HostKind kind) : HostTest(kind)
{
    static readonly string[] Areas = ["education", "culture-youth-media", "economy-science-innovation"];

    static JsonObject Request(params JsonObject[] items) => RoundRequests.Soia()
        .With("procedure", "COORMULTI")
        .With("title", "UNESCO General Conference: Belgian statement")
        .With("participants", new JsonArray("federal", "flanders", "wallonia", "french-community"))
        .With("flemishPolicyAreas", new JsonArray(Areas.Select(a => (JsonNode)a).ToArray()))
        .With("items", new JsonArray(items.Select(i => (JsonNode)i).ToArray()));

    static JsonNode Item(JsonObject document, string itemId) => document["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == itemId)!;

    static JsonNode Stance(JsonNode item, string participant) =>
        item["stances"]!.AsArray().Single(s => s!["participant"]!.GetValue<string>() == participant)!;

    [SkippableFact]
    public async Task Round_FederatedItemTheFederalLevelObjects_ConsensusAndTheFederalItemIsNotPutToTheFlemishAreas()
    {
        var parentId = await Host.StartAsync(Request(
            RoundRequests.Item("5.I", "Education 2030", "Belgium supports the SDG 4 framework.", "Federated", "flanders"),
            RoundRequests.Item("12", "Staff regulations", "Belgium supports the reform.", "Federal", "federal")));
        var entityRequests = await Host.MailFolder.WaitForAsync(parentId, 3);
        var status = await Host.StatusAsync(parentId);
        var childId = status["linkedRounds"]!.AsArray().Single()!["id"]!.GetValue<string>();
        var budgetStatus = status["items"]!.AsArray().Single(i => i!["itemId"]!.GetValue<string>() == "5.I")!;
        Assert.Equal("Federated", budgetStatus["competence"]!.GetValue<string>());
        Assert.Equal("flanders", budgetStatus["leadEntity"]!.GetValue<string>());

        // The Flemish areas are asked about the Federated item only: Flanders is not competent for the Federal one.
        var childStatus = await Host.StatusAsync(childId);
        Assert.Equal(["5.I"], childStatus["items"]!.AsArray().Select(i => i!["itemId"]!.GetValue<string>()));
        Assert.Equal("Federated", childStatus["items"]![0]!["competence"]!.GetValue<string>());
        var areaRequests = await Host.MailFolder.WaitForAsync(childId, Areas.Length);
        foreach (var area in areaRequests)
        {
            await RoundApi.ReplyOkAsync(area.ReplyLink, ("5.I", "Agree", null));
        }

        await Host.WaitForPhaseAsync(childId, "Reviewing");
        using (var approve = await Host.Client.PostAsJsonAsync($"/api/rounds/{childId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        string Link(string participant) => entityRequests.Single(m => m.ParticipantId == participant).ReplyLink;
        // The federal level's form (in French) says who is competent and who leads, and that its answer there does not count.
        using (var client = new HttpClient())
        {
            var form = WebUtility.HtmlDecode(await client.GetStringAsync(Link("federal")));
            Assert.Contains("Compétence : les communautés et les régions. Flanders est chef de file pour ce point. Vous n'êtes pas compétent",
                form, StringComparison.Ordinal);
        }

        await RoundApi.ReplyOkAsync(Link("federal"), ("5.I", "Objection", "Not in the federal budget."), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(Link("wallonia"), ("5.I", "Agree", null), ("12", "Objection", "We would rather abstain."));
        await RoundApi.ReplyOkAsync(Link("french-community"), ("5.I", "AgreeWithRemarks", "Mention the Pacte."), ("12", "NotCompetent", null));
        // Flanders' reply comes from the approved SOIA position: the round drafts once it is in.
        await Host.WaitForPhaseAsync(parentId, "Reviewing");

        var position = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{parentId}/position"))!;
        var federated = Item(position, "5.I");
        Assert.Equal("Consensus", federated["outcome"]!.GetValue<string>());
        Assert.Equal("Federated", federated["competence"]!.GetValue<string>());
        Assert.Equal("flanders", federated["leadEntity"]!.GetValue<string>());
        Assert.Equal("Flanders", federated["leadName"]!.GetValue<string>());
        var federal = Stance(federated, "federal");
        Assert.Equal("Objection", federal["stance"]!.GetValue<string>());
        Assert.Equal("Not in the federal budget.", federal["remarks"]!.GetValue<string>());
        Assert.False(federal["competent"]!.GetValue<bool>());
        Assert.Equal("Agree", Stance(federated, "flanders")["stance"]!.GetValue<string>());
        Assert.True(Stance(federated, "flanders")["competent"]!.GetValue<bool>());

        // Wallonia's objection on the Federal item does not block it; Flanders was not asked, and is not missing.
        var federalItem = Item(position, "12");
        Assert.Equal("Consensus", federalItem["outcome"]!.GetValue<string>());
        Assert.False(Stance(federalItem, "wallonia")["competent"]!.GetValue<bool>());
        var flanders = Stance(federalItem, "flanders");
        Assert.Equal("NoReply", flanders["stance"]!.GetValue<string>());
        Assert.False(flanders["competent"]!.GetValue<bool>());
        Assert.Empty(federalItem["missing"]!.AsArray());
        Assert.Empty(federated["missing"]!.AsArray());

        var parentStatus = await Host.StatusAsync(parentId);
        Assert.All(parentStatus["items"]!.AsArray(), i => Assert.Empty(i!["objections"]!.AsArray()));
        var markdown = await Host.Client.GetStringAsync($"/api/rounds/{parentId}/position?format=md");
        Assert.Contains("Item `5.I` · Competence: Federated (the communities and regions) · lead: Flanders (`flanders`).", markdown, StringComparison.Ordinal);
        Assert.Contains("(`federal`) | Objection (not competent, not counted) |", markdown, StringComparison.Ordinal);
        var html = await Host.Client.GetStringAsync($"/api/rounds/{parentId}/position?format=html");
        Assert.Contains("Competence: Federal (the federal level) · lead: FPS Foreign Affairs (federal level) <code>federal</code>", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Round_OnlyFederalItems_NoLinkedRoundAndTheRoundDoesNotWaitForFlanders()
    {
        var parentId = await Host.StartAsync(Request(RoundRequests.Item("12", "Staff regulations", "Belgium supports the reform.", "Federal")));

        var entityRequests = await Host.MailFolder.WaitForAsync(parentId, 3);
        foreach (var entity in entityRequests)
        {
            await RoundApi.ReplyOkAsync(entity.ReplyLink, ("12", entity.ParticipantId == "federal" ? "Agree" : "NotCompetent", null));
        }

        // Everyone asked has replied, a week before the deadline: Flanders was not asked, so nobody is awaited.
        var status = await Host.WaitForPhaseAsync(parentId, "Reviewing");
        Assert.Empty(status["linkedRounds"]!.AsArray());
        Assert.DoesNotContain(status["participants"]!.AsArray(), p => p!["code"]!.GetValue<string>() == "flanders");
        var position = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{parentId}/position"))!;
        var item = Item(position, "12");
        Assert.Equal("Consensus", item["outcome"]!.GetValue<string>());
        Assert.False(Stance(item, "flanders")["competent"]!.GetValue<bool>());
        Assert.Empty(item["missing"]!.AsArray());
    }

    [SkippableFact]
    public async Task Start_LeadNotCompetentAndUnknownCompetence_400WithTheErrorsPerItem()
    {
        using var response = await Host.Client.PostAsJsonAsync("/api/rounds", Request(
            RoundRequests.Item("5.I", "Education 2030", "Text.", "Federated", "federal"),
            RoundRequests.Item("12", "Staff regulations", "Text.", "Regional")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["items[0].leadEntity", "items[1].competence"], errors.Select(e => e.Key).Order());
    }

    public sealed class OnLocalHost() : CompetenceEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : CompetenceEndToEndTests(HostKind.Functions);
}
