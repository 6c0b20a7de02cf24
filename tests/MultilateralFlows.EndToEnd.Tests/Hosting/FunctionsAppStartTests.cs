using System.Text.Json.Nodes;
using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Hosting;

/// <summary>
/// The Functions app's worker started by the Azure Functions host, as in Azure, with and without Application Insights:
/// a start-up exception (a telemetry package that does not fit the worker, a missing setting) fails these at once,
/// with the worker's own output (<see cref="FunctionsHostProcess"/> stops at its first unhandled exception).
/// </summary>
public sealed class FunctionsAppStartTests(ITestOutputHelper output) : HostTest(HostKind.Functions)
{
    protected override bool UsesSharedHost => false;

    [SkippableFact]
    public async Task Worker_WithoutApplicationInsights_StartsAndServesTheApi()
    {
        var host = await StartHostAsync();

        var roundId = await host.StartAsync(RoundRequests.Soia("education"));

        Assert.Single(await host.MailFolder.WaitForAsync(roundId, 1));
        Assert.DoesNotContain("Unhandled exception", host.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Worker_WithAnApplicationInsightsConnectionString_StartsServesARoundAndExportsItsLogs()
    {
        await using var monitor = await FakeAzureMonitor.StartAsync();
        var host = await StartHostExportingToAsync(monitor);

        var roundId = await host.StartAsync(RoundRequests.Soia("education"));
        Assert.Single(await host.MailFolder.WaitForAsync(roundId, 1));

        // The workflow's own log lines reach Application Insights through the worker's exporter.
        var mailFolderLine = await monitor.WaitForAsync(
            item => Message(item)?.Contains("local mail folder", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(60));
        output.WriteLine($"{monitor.Items.Count} telemetry item(s), among them: {Message(mailFolderLine)}");
        Assert.Equal("00000000-0000-0000-0000-000000000001", mailFolderLine["iKey"]?.GetValue<string>());
    }

    [SkippableFact]
    public async Task Telemetry_AfterTheReplyPageAndAReply_HoldsNoReplyToken()
    {
        await using var monitor = await FakeAzureMonitor.StartAsync();
        var host = await StartHostExportingToAsync(monitor);
        var roundId = await host.StartAsync(RoundRequests.Soia("education"));
        var link = (await host.MailFolder.WaitForAsync(roundId, 1)).Single().ReplyLink;
        var token = link[(link.LastIndexOf('/') + 1)..];

        using var client = new HttpClient();
        using (var page = await client.GetAsync(link))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        }

        await RoundApi.ReplyOkAsync(link, ("5.I", "Agree", null), ("12", "Agree", null));

        // The reply's own log line is written after everything the two requests logged, and the receipt's after that: the
        // worker exports in the order it logs, so once either is in, so is the rest of what the requests logged (and
        // kept: a log of a trace the exporter samples out is dropped, which leaks nothing either).
        await monitor.WaitForAsync(
            item => Message(item) is { } message
                && (message.Contains($"Round {roundId}: reply version 1", StringComparison.Ordinal)
                    || message.Contains($"{roundId}.education.Receipt.1 written", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60));
        var leaks = monitor.Items.Select(item => item.ToJsonString()).Where(json => json.Contains(token, StringComparison.Ordinal)).ToList();
        output.WriteLine($"{monitor.Items.Count} telemetry item(s), {leaks.Count} with the token");
        Assert.True(leaks.Count == 0, $"The reply token is in the telemetry:\n{string.Join("\n", leaks.Take(5).Select(l => l[..Math.Min(l.Length, 200)] + " ... " + l[Math.Max(0, l.Length - 900)..]))}");
    }

    /// <summary>A Functions host of its own whose worker exports every trace and log to <paramref name="monitor"/>.</summary>
    Task<HostProcess> StartHostExportingToAsync(FakeAzureMonitor monitor) =>
        StartHostAsync(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = monitor.ConnectionString,
            // The exporter's own usage reports go to Microsoft, out of reach here.
            ["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true",
            // Every trace kept: the exporter samples by rate by default, and drops the logs of the traces it drops.
            ["OTEL_TRACES_SAMPLER"] = "microsoft.fixed_percentage",
            ["OTEL_TRACES_SAMPLER_ARG"] = "1.0",
        });

    static string? Message(JsonObject item) => item["data"]?["baseData"]?["message"]?.GetValue<string>();
}
