using Microsoft.AspNetCore.Http;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Functions.Rounds;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Functions;

/// <summary><c>GET /api/rounds/{id}/position?version=N</c>: every stored version stays readable after the approval (issue 13).</summary>
public sealed class PositionVersionsTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    RoundFunctions Functions => new(services.Get<RoundsApi>(), services.Get<RoundActionsApi>());

    async Task<(int Status, string Body)> GetAsync(string roundId, string query)
    {
        var request = services.Request("GET");
        request.QueryString = new QueryString(query);
        var (status, body, _) = await services.ExecuteAsync(await Functions.GetPosition(request, roundId, CancellationToken.None), request);
        return (status, body);
    }

    /// <summary>A round with a draft (version 1, divergent) and the final position (version 2, after an amendment).</summary>
    async Task<RoundDefinition> ApprovedAsync()
    {
        var (round, _) = await StoredRounds.OpenAsync(services, TestRounds.Soia("education"));
        var contributions = services.Get<ContributionStore>();
        var record = (await services.Get<RoundStore>().GetAsync(round.Id, CancellationToken.None))!;
        await contributions.SaveAsync(
            record, "education", [new ItemReply("5.I", Stance.Objection, "No."), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        await services.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 1));
        await contributions.SaveAsync(
            record, "education", [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.Agree, null)], "test", CancellationToken.None);
        await services.Get<AssemblePosition>().RunAsync(new ConsolidationRequest(round.Id, 2, Final: true));
        return round;
    }

    [Fact]
    public async Task GetPosition_AnEarlierVersionAfterTheApproval_TheDraftAsItWasWithTheVersionsThereAre()
    {
        var round = await ApprovedAsync();

        var (status, body) = await GetAsync(round.Id, "?version=1");

        Assert.Equal(200, status);
        var draft = WorkflowServicesFixture.Json(body);
        Assert.Equal(1, draft["version"]!.GetValue<int>());
        Assert.Equal("Draft", draft["status"]!.GetValue<string>());
        Assert.Equal("Divergence", draft["items"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal(2, draft["latestVersion"]!.GetValue<int>());
        Assert.Equal([1, 2], draft["versions"]!.AsArray().Select(v => v!.GetValue<int>()));
    }

    [Fact]
    public async Task GetPosition_WithoutAVersion_TheLatestAsBefore()
    {
        var round = await ApprovedAsync();

        var (status, body) = await GetAsync(round.Id, "");
        var (mdStatus, markdown) = await GetAsync(round.Id, "?version=1&format=md");

        Assert.Equal(200, status);
        Assert.Equal("Final", WorkflowServicesFixture.Json(body)["status"]!.GetValue<string>());
        Assert.Equal(200, mdStatus);
        Assert.Equal(await services.Get<PositionStore>().ReadAsync(round.Id, 1, PositionFormat.Markdown, CancellationToken.None), markdown);
    }

    [Theory]
    [InlineData("?version=0")]
    [InlineData("?version=-1")]
    [InlineData("?version=abc")]
    [InlineData("?version=1.5")]
    [InlineData("?version=")]
    [InlineData("?version=1&version=2")]
    [InlineData("?version=99999999999")]
    public async Task GetPosition_NotAPositiveWholeNumber_400ForTheVersionField(string query)
    {
        var round = await ApprovedAsync();

        var (status, body) = await GetAsync(round.Id, query);

        Assert.Equal(400, status);
        Assert.NotNull(WorkflowServicesFixture.Json(body)["errors"]!["version"]);
    }

    [Fact]
    public async Task GetPosition_AVersionThatDoesNotExist_404()
    {
        var round = await ApprovedAsync();

        var (status, body) = await GetAsync(round.Id, "?version=3");

        Assert.Equal(404, status);
        Assert.Contains("version 3", WorkflowServicesFixture.Json(body)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Vlaams standpunt", "Ontwerp, versie 1")]
    [InlineData("fr", "position flamande", "Projet, version 1")]
    [InlineData("de", "flämischer Standpunkt", "Entwurf, Fassung 1")]
    public async Task GetPosition_InALanguage_TheStoredVersionInThatLanguagesWords(string language, string outcome, string status)
    {
        var round = await ApprovedAsync();

        var (mdStatus, markdown) = await GetAsync(round.Id, $"?version=1&format=md&lang={language}");
        var (htmlStatus, html) = await GetAsync(round.Id, $"?version=1&format=html&lang={language}");

        Assert.Equal(200, mdStatus);
        Assert.Equal(200, htmlStatus);
        Assert.Contains($"SOIA ({outcome})", markdown, StringComparison.Ordinal);
        Assert.Contains(status, markdown, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
        Assert.Contains(status, html, StringComparison.Ordinal);
        // What the participant wrote is shown as written, in every language.
        Assert.Contains("| No. |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPosition_InEnglish_TheSameAsTheStoredDocument()
    {
        var round = await ApprovedAsync();

        var (_, markdown) = await GetAsync(round.Id, "?version=1&format=md&lang=en");
        var (_, html) = await GetAsync(round.Id, "?version=1&format=html&lang=en");

        var store = services.Get<PositionStore>();
        Assert.Equal(await store.ReadAsync(round.Id, 1, PositionFormat.Markdown, CancellationToken.None), markdown);
        Assert.Equal(await store.ReadAsync(round.Id, 1, PositionFormat.Html, CancellationToken.None), html);
    }

    [Theory]
    [InlineData("?lang=es")]
    [InlineData("?lang=")]
    [InlineData("?lang=FR")]
    [InlineData("?lang=nl&lang=fr")]
    [InlineData("?format=html&lang=fr-BE")]
    public async Task GetPosition_ALanguageThereIsNoDocumentIn_400ForTheLangField(string query)
    {
        var round = await ApprovedAsync();

        var (status, body) = await GetAsync(round.Id, query);

        Assert.Equal(400, status);
        Assert.NotNull(WorkflowServicesFixture.Json(body)["errors"]!["lang"]);
    }
}
