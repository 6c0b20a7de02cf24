using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MultilateralFlows.EndToEnd.Tests.Reliability;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Rounds;

/// <summary>
/// After the approval (issue 13): the final position goes to every participant and to the permanent representation, each
/// once and in its language; earlier versions stay readable; the audit names the person who acted for the coordinator.
/// </summary>
public abstract class FinalPositionDistributionEndToEndTests(HostKind kind) : HostTest(kind)
{
    const string Acting = "an.devos@diplobel.fed.be";
    const string Header = "X-Acting-Coordinator";

    static readonly JsonArray Representation =
    [
        new JsonObject { ["email"] = "permrep.unesco@diplobel.fed.be", ["language"] = "fr", ["name"] = "Délégation permanente auprès de l'UNESCO" },
        new JsonObject { ["email"] = "coreper@diplobel.fed.be", ["language"] = "nl" },
    ];

    [SkippableFact]
    public async Task Round_Approved_EveryParticipantAndRepresentationAddressGetsItOnceTheDraftStaysReadableTheAuditNamesThePerson()
    {
        var request = RoundRequests.Soia()
            .With("procedure", "COORMULTI")
            .With("participants", new JsonArray("federal", "wallonia", "german-community"))
            .With("permanentRepresentation", Representation.DeepClone())
            .With("coordinatorLanguage", "fr");
        var roundId = await StartNamedAsync(request);
        var requests = await Host.MailFolder.WaitForAsync(roundId, 3);
        Assert.Equal(
            ["permrep.unesco@diplobel.fed.be", "coreper@diplobel.fed.be"],
            (await Host.StatusAsync(roundId))["permanentRepresentation"]!.AsArray().Select(a => a!["email"]!.GetValue<string>()));
        string Link(string participant) => requests.Single(m => m.ParticipantId == participant).ReplyLink;
        await RoundApi.ReplyOkAsync(Link("federal"), ("5.I", "Agree", null), ("12", "Agree", null));
        // No item diverges: approving one that does is a matter of settling it first, not of this test.
        await RoundApi.ReplyOkAsync(Link("wallonia"), ("5.I", "AgreeWithRemarks", "Mind the regions' budgets."), ("12", "Agree", null));
        await RoundApi.ReplyOkAsync(Link("german-community"), ("5.I", "Agree", null), ("12", "Agree", null));
        await Host.WaitForPhaseAsync(roundId, "Reviewing");
        // The round's coordinator reads French, whatever the host's Email__CoordinatorLanguage says.
        var ready = (await Host.MailFolder.WaitForAsync(roundId, 1, "CoordinatorNotice")).Single();
        Assert.StartsWith("Projet de position prêt", ready.Subject, StringComparison.Ordinal);
        Assert.Equal("fr", (await Host.StatusAsync(roundId))["coordinatorLanguage"]!.GetValue<string>());

        using var watcher = new MailFolderWatcher(Host.MailFolderPath);
        Assert.Equal(HttpStatusCode.Accepted, await ReviewAsync(roundId, Acting));
        await Host.WaitForPhaseAsync(roundId, "Final");
        // Approving again (a double click, a client retrying): the round is final, nothing more goes out.
        Assert.Equal(HttpStatusCode.Conflict, await ReviewAsync(roundId, Acting));

        var sent = await Host.MailFolder.WaitForAsync(roundId, 5, "FinalPosition");
        await MailFolderWatcher.SettleAsync();
        Assert.Empty(watcher.Duplicates());
        Assert.Equal(5, Host.MailFolder.For(roundId, "FinalPosition").Count);
        Assert.Equal(
            new[]
            {
                "coreper@diplobel.fed.be", "international@ostbelgien.example", "multilateral@wallonie.example",
                "coormulti@diplomatie.belgium.example", "permrep.unesco@diplobel.fed.be",
            }.Order(StringComparer.Ordinal),
            sent.SelectMany(m => m.To).Order(StringComparer.Ordinal));
        Assert.All(sent, m => Assert.Equal(2, m.MessageNumber));
        Assert.StartsWith("Position COORMULTI définitive", sent.Single(m => m.To.Contains("permrep.unesco@diplobel.fed.be")).Subject, StringComparison.Ordinal);
        Assert.StartsWith("COORMULTI-standpunt definitief", sent.Single(m => m.To.Contains("coreper@diplobel.fed.be")).Subject, StringComparison.Ordinal);
        Assert.StartsWith("COORMULTI-Standpunkt endgültig", sent.Single(m => m.ParticipantId == "german-community").Subject, StringComparison.Ordinal);
        var toWallonia = sent.Single(m => m.ParticipantId == "wallonia");
        Assert.Contains("Résultat: Consensus", toWallonia.PlainText, StringComparison.Ordinal);
        var attachment = toWallonia.Payload["attachments"]!.AsArray().Single()!;
        Assert.Equal($"position-{roundId}-v2.fr.html", attachment["filename"]!.GetValue<string>());
        var document = Encoding.UTF8.GetString(Convert.FromBase64String(attachment["content"]!.GetValue<string>()));
        Assert.Equal(await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position?format=html&version=2&lang=fr"), document);
        Assert.Contains("<html lang=\"fr\">", document, StringComparison.Ordinal);
        Assert.Contains("position belge consolidée", document, StringComparison.Ordinal);

        // The draft the coordinator reviewed stays readable after the approval.
        var draft = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position?version=1"))!;
        Assert.Equal("Draft", draft["status"]!.GetValue<string>());
        Assert.Equal([1, 2], draft["versions"]!.AsArray().Select(v => v!.GetValue<int>()));
        var final = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/position"))!;
        Assert.Equal(("Final", 2), (final["status"]!.GetValue<string>(), final["version"]!.GetValue<int>()));
        using (var missing = await Host.Client.GetAsync($"/api/rounds/{roundId}/position?version=3"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var malformed = await Host.Client.GetAsync($"/api/rounds/{roundId}/position?version=first"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }

        var audit = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/audit"))!["entries"]!.AsArray();
        string? ActorOf(string action) => audit.LastOrDefault(e => e!["action"]!.GetValue<string>() == action)?["actor"]?.GetValue<string>();
        Assert.Equal($"coordinator {Acting}", ActorOf("RoundCreated"));
        Assert.Equal($"coordinator {Acting}", ActorOf("ReviewRequested"));
        Assert.Equal($"coordinator {Acting}", ActorOf("PositionApproved"));
    }

    [SkippableFact]
    public async Task Actions_NobodyNamedOrAMalformedHeader_TheAuditSaysNobodyWasNamedAndAMalformedOneIsRefused()
    {
        var roundId = await Host.StartAsync(RoundRequests.Soia("education", "environment"));
        await Host.MailFolder.WaitForAsync(roundId, 2);

        using (var remind = await Host.Client.PostAsync($"/api/rounds/{roundId}/reminders", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, remind.StatusCode);
        }

        using (var malformed = new HttpRequestMessage(HttpMethod.Post, $"/api/rounds/{roundId}/cancel"))
        {
            malformed.Headers.Add(Header, "an.devos");
            using var refused = await Host.Client.SendAsync(malformed);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.NotNull(problem["errors"]![Header]);
        }

        var audit = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/audit"))!["entries"]!.AsArray();
        Assert.Equal(
            "coordinator (not named) for coordinator@vlaanderen.example",
            audit.Single(e => e!["action"]!.GetValue<string>() == "RemindNowRequested")!["actor"]!.GetValue<string>());
        Assert.Equal(
            "coordinator (not named) for coordinator@vlaanderen.example",
            audit.Single(e => e!["action"]!.GetValue<string>() == "RoundCreated")!["actor"]!.GetValue<string>());
        Assert.DoesNotContain(audit, e => e!["action"]!.GetValue<string>() == "CancelRequested");
        Assert.Equal("Collecting", (await Host.StatusAsync(roundId))["phase"]!.GetValue<string>());
    }

    async Task<string> StartNamedAsync(JsonObject request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/rounds") { Content = JsonContent.Create(request) };
        message.Headers.Add(Header, Acting);
        using var response = await Host.Client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    async Task<HttpStatusCode> ReviewAsync(string roundId, string acting)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/rounds/{roundId}/review")
        {
            Content = JsonContent.Create(new { decision = "approve" }),
        };
        message.Headers.Add(Header, acting);
        using var response = await Host.Client.SendAsync(message);
        return response.StatusCode;
    }

    public sealed class OnLocalHost() : FinalPositionDistributionEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : FinalPositionDistributionEndToEndTests(HostKind.Functions);
}

/// <summary>
/// The host killed with SIGKILL right after the approval was accepted, and started again: the final position still goes
/// to every participant and to the permanent representation, and to each of them once.
/// </summary>
public abstract class KilledAfterTheApprovalTests(HostKind kind, ITestOutputHelper output) : CrashRecoveryTests(kind, output)
{
    [SkippableFact]
    public async Task Round_KilledRightAfterTheApproval_EachRecipientGetsTheFinalPositionOnce()
    {
        var host = await StartHostAsync(RoundUnderTest.CrashSettings());
        using var watcher = new MailFolderWatcher(host.MailFolderPath);
        string[] areas = ["education", "environment", "culture-youth-media"];
        var roundId = await host.StartAsync(RoundRequests.Soia(areas).With(
            "permanentRepresentation", new JsonArray(new JsonObject { ["email"] = "permrep.unesco@diplobel.fed.be", ["language"] = "fr" })));
        var requests = await host.MailFolder.WaitForAsync(roundId, areas.Length, timeout: RoundUnderTest.PhaseTimeout);
        foreach (var request in requests)
        {
            await RoundApi.ReplyOkAsync(request.ReplyLink, ("5.I", "Agree", null), ("12", "Agree", null));
        }

        await host.WaitForPhaseAsync(roundId, "Reviewing", RoundUnderTest.PhaseTimeout);
        using (var approve = await host.Client.PostAsJsonAsync($"/api/rounds/{roundId}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        host.Kill();
        await host.StartProcessAsync();
        Output.WriteLine("host started again");

        await host.WaitForPhaseAsync(roundId, "Final", RoundUnderTest.PhaseTimeout);
        var sent = await host.MailFolder.WaitForAsync(roundId, areas.Length + 1, "FinalPosition", RoundUnderTest.PhaseTimeout);
        await MailFolderWatcher.SettleAsync();
        Assert.Empty(watcher.Errors);
        Assert.Empty(watcher.Duplicates());
        Assert.Equal(
            areas.Append("permanent-representation-1").Order(StringComparer.Ordinal),
            sent.Select(m => m.ParticipantId).Order(StringComparer.Ordinal));
    }

    public sealed class OnLocalHost(ITestOutputHelper output) : KilledAfterTheApprovalTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : KilledAfterTheApprovalTests(HostKind.Functions, output);
}
