using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Housekeeping;

/// <summary>
/// Housekeeping on a host whose schedule runs it every two seconds with no retention: a finished round's engine history
/// is purged, a round still collecting keeps its own, and the coordinator's routes still answer for the purged round
/// from the round's own rows and documents.
/// </summary>
public abstract class HistoryPurgeTests(HostKind kind) : HostTest(kind)
{
    protected override bool UsesSharedHost => false;

    [SkippableFact]
    public async Task Housekeeping_AFinishedAndAnOpenRound_PurgesTheFinishedOnesHistoryAndItsStatusStillAnswers()
    {
        var host = await StartHostAsync(new Dictionary<string, string?>
        {
            ["Housekeeping__Schedule"] = "*/2 * * * * *",
            ["Housekeeping__Retention"] = "00:00:00",
        });
        var finished = await host.StartAsync(RoundRequests.Soia("education"));
        var open = await host.StartAsync(RoundRequests.Soia("education", "environment"));
        var link = (await host.MailFolder.WaitForAsync(finished, 1)).Single().ReplyLink;
        await RoundApi.ReplyOkAsync(link, ("5.I", "Agree", null), ("12", "Agree", null));
        await host.WaitForPhaseAsync(finished, "Reviewing");
        using (var approve = await host.Client.PostAsJsonAsync($"/api/rounds/{finished}/review", new { decision = "approve" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        }

        await host.WaitForPhaseAsync(finished, "Final");
        await host.MailFolder.WaitForAsync(open, 2);

        // The engine keeps an instance row and history rows per round; housekeeping takes the finished round's away.
        var until = DateTime.UtcNow.AddSeconds(90);
        while (await EngineRowsAsync(host, finished) > 0)
        {
            Assert.True(DateTime.UtcNow < until, $"The finished round's history was not purged.\n{host.Output}");
            await Task.Delay(500);
        }

        Assert.True(await EngineRowsAsync(host, open) > 0, "The open round's history was purged.");
        var status = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{finished}"))!;
        Assert.Equal("Final", status["phase"]!.GetValue<string>());
        var position = (await host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{finished}/position"))!;
        Assert.Equal("Final", position["status"]!.GetValue<string>());
        using var audit = await host.Client.GetAsync($"/api/rounds/{finished}/audit");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);

        // The open round goes on as before.
        var openLinks = host.MailFolder.For(open);
        foreach (var request in openLinks)
        {
            await RoundApi.ReplyOkAsync(request.ReplyLink, ("5.I", "Agree", null), ("12", "Agree", null));
        }

        await host.WaitForPhaseAsync(open, "Reviewing");
    }

    async Task<int> EngineRowsAsync(HostProcess host, string instanceId)
    {
        var rows = 0;
        foreach (var table in new[] { $"{host.TaskHub}Instances", $"{host.TaskHub}History" })
        {
            await foreach (var _ in Storage.Tables.GetTableClient(table).QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, select: ["PartitionKey"]))
            {
                rows++;
            }
        }

        return rows;
    }

    public sealed class OnLocalHost() : HistoryPurgeTests(HostKind.Local);

    public sealed class OnFunctionsHost() : HistoryPurgeTests(HostKind.Functions);
}
