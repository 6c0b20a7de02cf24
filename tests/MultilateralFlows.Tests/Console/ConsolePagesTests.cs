using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Http;
using MultilateralFlows.Pages.Console;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Console;

/// <summary>The console's handlers on real storage with a mocked Durable Task client: the form starts rounds as the API does.</summary>
public sealed class ConsolePagesTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    readonly Mock<DurableTaskClient> client = new("test");
    readonly List<string> scheduled = [];

    ConsolePages Pages => services.Get<ConsolePages>();

    // Once per test: a form built twice must be the same form, and a minute can turn between two posts.
    readonly string deadline = StartRoundForm.LocalValue(DateTimeOffset.UtcNow.AddDays(10));

    List<KeyValuePair<string, string?>> ValidForm(string key, string title = "UNESCO Board") =>
    [
        new("idempotencyKey", key), new("title", title), new("organisation", "UNESCO"), new("kind", "BoardMeeting"),
        new("procedure", "SOIA"), new("deadline", deadline), new("coordinatorEmail", "soia@vlaanderen.example"),
        new("areas", "education"), new("areas", "environment"),
        new("item0.title", "Budget"), new("item0.text", "Zero growth."), new("item0.competence", "Mixed"),
        new("action", "start"),
    ];

    async Task<(int Status, string Body, IHeaderDictionary Headers)> PostAsync(IEnumerable<KeyValuePair<string, string?>> fields)
    {
        var body = QueryHelpers.AddQueryString("", fields).TrimStart('?');
        var request = services.SignedInRequest("POST", body, "application/x-www-form-urlencoded");
        var result = await Pages.StartRoundAsync(request, client.Object, CancellationToken.None);
        return await services.ExecuteAsync(result, request);
    }

    void SchedulingSucceeds() =>
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => scheduled.Add(options!.InstanceId!))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);

    [Fact]
    public async Task StartRound_ValidFormSentTwice_OneRoundAndBothSentToItsPage()
    {
        SchedulingSucceeds();
        var key = StartRoundForm.NewKey();

        var first = await PostAsync(ValidForm(key));
        var again = await PostAsync(ValidForm(key));

        Assert.Equal((303, 303), (first.Status, again.Status));
        Assert.Single(scheduled);
        Assert.Equal(ConsolePaths.Round(scheduled[0]), first.Headers.Location.ToString());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        var round = await services.Get<RoundStore>().GetAsync(scheduled[0], CancellationToken.None);
        Assert.Equal(["education", "environment"], round!.Definition.Participants);
        var audit = await services.Get<AuditLog>().GetAsync(scheduled[0], CancellationToken.None);
        Assert.Contains(audit, a => a.Actor == $"coordinator {WorkflowServicesFixture.SignedInCoordinator}");
    }

    [Fact]
    public async Task StartRound_FormChangedAfterItStartedARound_409WithANewKeyAndNothingMoreStarted()
    {
        SchedulingSucceeds();
        var key = StartRoundForm.NewKey();
        await PostAsync(ValidForm(key));

        var changed = await PostAsync(ValidForm(key, title: "Another dossier"));

        Assert.Equal(409, changed.Status);
        Assert.Single(scheduled);
        Assert.Contains("already started another round", changed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{key}\"", changed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRound_Invalid_400FormAgainWithItsErrorsAndWhatWasTyped()
    {
        SchedulingSucceeds();
        var fields = ValidForm(StartRoundForm.NewKey()).Where(f => f.Key is not "organisation" and not "item0.text").ToList();

        var answer = await PostAsync(fields);

        Assert.Equal(400, answer.Status);
        Assert.Empty(scheduled);
        Assert.Contains("<a href=\"#organisation\">Organisation: Required.</a>", answer.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"item0-text-error\"", answer.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"UNESCO Board\"", answer.Body, StringComparison.Ordinal);
        Assert.Equal("text/html; charset=utf-8", answer.Headers.ContentType.ToString());
        Assert.Contains("script-src 'self'", answer.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRound_Preview_SaysWhatWillHappenAndStartsNothing()
    {
        SchedulingSucceeds();
        var fields = ValidForm(StartRoundForm.NewKey()).Where(f => f.Key != "action").Append(new("action", "preview"));

        var answer = await PostAsync(fields);

        Assert.Equal(200, answer.Status);
        Assert.Empty(scheduled);
        Assert.Contains("id=\"preview\"", answer.Body, StringComparison.Ordinal);
        Assert.Contains("soia.education@vlaanderen.example", answer.Body, StringComparison.Ordinal);
        Assert.Contains("No linked SOIA round starts.", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRound_AddItem_OneMoreRowFocusedAndTheOthersKept()
    {
        var fields = ValidForm(StartRoundForm.NewKey()).Where(f => f.Key != "action").Append(new("action", "add-item"));

        var answer = await PostAsync(fields);

        Assert.Equal(200, answer.Status);
        Assert.Contains("name=\"item1.title\" value=\"\" maxlength=\"300\" autofocus", answer.Body, StringComparison.Ordinal);
        Assert.Contains("name=\"item0.title\" value=\"Budget\"", answer.Body, StringComparison.Ordinal);
        Assert.Empty(scheduled);
    }

    [Fact]
    public async Task StartRound_NotAForm_415()
    {
        var request = services.SignedInRequest("POST", "{}");

        var (status, _, _) = await services.ExecuteAsync(await Pages.StartRoundAsync(request, client.Object, CancellationToken.None), request);

        Assert.Equal(415, status);
    }

    [Fact]
    public async Task Rounds_Filters_OnlyTheMatchingRoundsAndBadDatesSaySo()
    {
        SchedulingSucceeds();
        var marker = $"Marker{Guid.NewGuid():N}"[..20];
        await PostAsync(ValidForm(StartRoundForm.NewKey(), title: $"Board {marker}"));
        await PostAsync(ValidForm(StartRoundForm.NewKey(), title: "Other board"));

        var found = await GetRoundsAsync($"?q={marker.ToLowerInvariant()}&phase=Collecting&procedure=SOIA");
        var none = await GetRoundsAsync($"?q={marker}&procedure=COORMULTI");
        var badDate = await GetRoundsAsync("?deadlineFrom=15/12/2026");

        Assert.Equal(200, found.Status);
        Assert.Contains($"Board {marker}", found.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Other board", found.Body, StringComparison.Ordinal);
        Assert.Contains("No rounds match these filters.", none.Body, StringComparison.Ordinal);
        Assert.Equal(400, badDate.Status);
        Assert.Contains("Not a date (yyyy-mm-dd).", badDate.Body, StringComparison.Ordinal);
    }

    async Task<(int Status, string Body, IHeaderDictionary Headers)> GetRoundsAsync(string query)
    {
        var request = services.SignedInRequest("GET");
        request.QueryString = new QueryString(query);
        return await services.ExecuteAsync(await Pages.RoundsAsync(request, CancellationToken.None), request);
    }
}
