using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Pages.Console;
using MultilateralFlows.Rounds;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Pages.Console;

/// <summary>
/// The round page's forms on the real stores: an accepted action goes back to the page (303) after signalling the round
/// as its JSON route does; a refused one shows the page again with the message next to the field, and signals nothing.
/// </summary>
public sealed class RoundPageFormTests : IClassFixture<WorkflowServicesFixture>
{
    const string Form = "application/x-www-form-urlencoded";

    readonly WorkflowServicesFixture services;
    readonly Mock<DurableTaskClient> client = new("test");

    public RoundPageFormTests(WorkflowServicesFixture services)
    {
        this.services = services;
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => new OrchestrationMetadata(nameof(ConsultationRound), id) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
    }

    RoundPageApi Page => services.Get<RoundPageApi>();

    [Fact]
    public async Task MoveDeadline_BrusselsTime_303ToThePageAndTheRoundIsSignalledAsTheSignedInPerson()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.SignedInRequest("POST", "deadline=2027-01-15+12%3A00", Form);
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?lang=fr");

        var (status, _, headers) = await services.ExecuteAsync(await Page.MoveDeadlineAsync(round.Id, request, client.Object, CancellationToken.None), request);

        Assert.Equal(303, status);
        Assert.Equal($"/api/console/rounds/{round.Id}?done=deadline&lang=fr", headers.Location.ToString());
        client.Verify(c => c.RaiseEventAsync(round.Id, RoundSignal.EventName,
            It.Is<RoundSignal>(s => s.Kind == RoundSignalKind.DeadlineMoved && s.Deadline == new DateTimeOffset(2027, 1, 15, 11, 0, 0, TimeSpan.Zero)),
            It.IsAny<CancellationToken>()), Times.Once);
        var audit = await services.Get<MultilateralFlows.Storage.AuditLog>().GetAsync(round.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Actor == $"coordinator {WorkflowServicesFixture.SignedInCoordinator}" && a.Action == "DeadlineMovedRequested");
    }

    [Fact]
    public async Task MoveDeadline_InThePast_400PageWithTheHelpNextToTheFieldAndNoSignal()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.SignedInRequest("POST", "deadline=2020-01-01+12%3A00", Form);
        request.Headers.AcceptLanguage = "nl-BE";

        var (status, body, headers) = await services.ExecuteAsync(await Page.MoveDeadlineAsync(round.Id, request, client.Object, CancellationToken.None), request);

        Assert.Equal(400, status);
        Assert.StartsWith("text/html", headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Contains("<p class=\"field-error\" id=\"deadline-deadline-error\">", body, StringComparison.Ordinal);
        Assert.Contains("Geef een datum en uur in Brussel", body, StringComparison.Ordinal);
        Assert.Contains("value=\"2020-01-01 12:00\"", body, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"deadline-deadline-hint deadline-deadline-error\"", body, StringComparison.Ordinal);
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Cancel_WithoutTheConfirmation_400AndNothingIsCancelled()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.SignedInRequest("POST", "reason=Postponed", Form);

        var (status, body, _) = await services.ExecuteAsync(await Page.CancelAsync(round.Id, request, client.Object, CancellationToken.None), request);

        Assert.Equal(400, status);
        Assert.Contains("Tick the box to confirm the cancellation.", body, StringComparison.Ordinal);
        Assert.Contains(">Postponed</textarea>", body, StringComparison.Ordinal);
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Review_WhileCollecting_409PageWithTheApisReason()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.SignedInRequest("POST", "decision=approve&version=1", Form);

        var (status, body, _) = await services.ExecuteAsync(await Page.ReviewAsync(round.Id, request, client.Object, CancellationToken.None), request);

        Assert.Equal(409, status);
        Assert.Contains("a position can be reviewed once it is in review", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_FromAnotherSite_403()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.SignedInRequest("POST", "confirm=yes", Form);
        request.Headers["Sec-Fetch-Site"] = "cross-site";

        var (status, _, _) = await services.ExecuteAsync(await Page.CancelAsync(round.Id, request, client.Object, CancellationToken.None), request);

        Assert.Equal(403, status);
        client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Show_UnknownRound_404Page()
    {
        var request = services.SignedInRequest("GET");

        var (status, body, _) = await services.ExecuteAsync(await Page.ShowAsync("r-not-there", request, CancellationToken.None), request);

        Assert.Equal(404, status);
        Assert.Contains("Round not found", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Round_PageWithItsScriptAllowedFromThisOriginOnly()
    {
        var (round, _) = await StoredRounds.OpenAsync(services);
        var request = services.SignedInRequest("GET");

        var (status, body, headers) = await services.ExecuteAsync(await Page.ShowAsync(round.Id, request, CancellationToken.None), request);

        Assert.Equal(200, status);
        Assert.StartsWith("<!DOCTYPE html>", body, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/api/console/scripts/round-page.js\" defer></script>", body, StringComparison.Ordinal);
        // One script per region: the layout's console.js refreshes [data-refresh] regions, the round page's own script
        // the participants; a region both claim is replaced by each in turn.
        Assert.DoesNotContain("data-refresh", body, StringComparison.Ordinal);
        Assert.Contains("; script-src 'self';", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }
}
