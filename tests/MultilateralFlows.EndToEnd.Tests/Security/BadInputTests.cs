using System.Net;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Security;

/// <summary>
/// Every malformed request of <see cref="MalformedRequests"/> against a running host: a 4xx (413 where the body is
/// too big), never a 5xx; problem details from the API, a reply page (with the reply pages' headers) where a browser
/// posted the form; no user-written markup back unencoded in a page (a problem may quote it inside a JSON string); and
/// nothing stored: every table row, position blob and mail folder file is as it was.
/// </summary>
public abstract class BadInputTests(HostKind kind, BadInputFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync()
    {
        HostTest.SkipUnlessAvailable(kind);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var malformed in MalformedRequests.All)
        {
            data.Add(malformed.Id);
        }

        return data;
    }

    /// <summary>
    /// Requests the Functions host answers itself, before the app sees them: kept on purpose, each listed in the README.
    /// Outside <c>/api</c> the host answers for itself: its root (its home page, turned off by
    /// <c>AzureWebJobsDisableHomepage</c>) and any other path, dot segments resolved, with a bare 404; a chunked body it cannot read fails the host's proxy to the worker with a bare 500. Nothing is stored either way.
    /// </summary>
    static readonly Dictionary<string, int> FunctionsHostAnswers = new(StringComparer.Ordinal)
    {
        ["unknown routes and methods | GET /"] = 204,
        ["raw HTTP | dot segments in the path"] = 404,
        ["raw HTTP | malformed chunked body"] = 500,
        ["raw HTTP | malformed chunked reply"] = 500,
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Request_Malformed_4xxWithAClearAnswerAndNothingStored(string id)
    {
        var malformed = MalformedRequests.Find(id);
        var before = await fixture.SnapshotAsync();

        var response = await fixture.SendAsync(malformed);

        if (kind == HostKind.Functions && FunctionsHostAnswers.TryGetValue(id, out var hostAnswer))
        {
            Assert.Equal(hostAnswer, response.Status);
            Assert.Equal(before, await fixture.SnapshotAsync());
            return;
        }

        Assert.True(response.Status is >= 400 and < 500, $"{id}: {response.Status} {response.Body}");
        Assert.Equal(malformed.Status, response.Status);
        switch (malformed.Answer)
        {
            case Answer.Problem:
                Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
                Assert.Contains($"\"status\":{malformed.Status}", response.Body, StringComparison.Ordinal);
                break;
            case Answer.Page:
                Assert.StartsWith("text/html", response.ContentType, StringComparison.Ordinal);
                Assert.Equal("no-referrer", response.Headers.GetValueOrDefault("referrer-policy"));
                Assert.Equal("no-store", response.Headers.GetValueOrDefault("cache-control"));
                break;
        }

        if (malformed.Route == "POST /api/reply/{token}")
        {
            // The token is in the URL: whatever the answer, it must not leak through a referrer or a cache.
            Assert.Equal("no-referrer", response.Headers.GetValueOrDefault("referrer-policy"));
            Assert.Equal("no-store", response.Headers.GetValueOrDefault("cache-control"));
        }

        // A problem may quote what was sent (an unknown code, say), inside a JSON string; an HTML page never raw.
        if (response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
        {
            Assert.All(MalformedRequests.Markup, markup => Assert.DoesNotContain(markup, response.Body, StringComparison.OrdinalIgnoreCase));
            // The console's pages load their refresh scripts from this origin; nothing else in a page is a script.
            var withoutOwnScripts = new[] { "/api/console/scripts/round-page.js", "/api/console/console.js" }
                .Aggregate(response.Body, (body, script) => body.Replace($"<script src=\"{script}\" defer></script>", "", StringComparison.Ordinal));
            Assert.DoesNotContain("<script", withoutOwnScripts, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [SkippableFact]
    public async Task Rounds_AfterEveryMalformedRequest_StillAnswerAsBefore()
    {
        // The rounds the table aimed at are intact and the host still serves them.
        using var status = await fixture.Host.Client.GetAsync($"/api/rounds/{fixture.Collecting}");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using var form = await fixture.Host.Client.GetAsync($"/api/reply/{fixture.Token}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
    }

    public sealed class OnLocalHost(BadInputFixture.OnLocalHost fixture)
        : BadInputTests(HostKind.Local, fixture), IClassFixture<BadInputFixture.OnLocalHost>;

    public sealed class OnFunctionsHost(BadInputFixture.OnFunctionsHost fixture)
        : BadInputTests(HostKind.Functions, fixture), IClassFixture<BadInputFixture.OnFunctionsHost>;
}

/// <summary>The table itself, whatever host it is sent to.</summary>
public sealed class MalformedRequestTableTests
{
    [Fact]
    public void Cases_AtLeast200_CoverEveryRouteOfTheApi()
    {
        string[] routes =
        [
            "POST /api/rounds", "GET /api/rounds", "GET /api/rounds/{id}", "GET /api/rounds/{id}/position", "GET /api/rounds/{id}/audit",
            "POST /api/rounds/{id}/deadline", "POST /api/rounds/{id}/reminders", "POST /api/rounds/{id}/review", "POST /api/rounds/{id}/cancel",
            "POST /api/rounds/{id}/items/{itemId}/settlement",
            "GET /api/reply/{token}", "POST /api/reply/{token}", "POST /api/console/sign-in",
            "GET /api/console/rounds/{id}", "GET /api/console/rounds/{id}/participants", "POST /api/console/rounds/{id}/deadline",
            "POST /api/console/rounds/{id}/reminders", "POST /api/console/rounds/{id}/review", "POST /api/console/rounds/{id}/cancel",
            "POST /api/console/rounds/{id}/items/{itemId}/settlement",
        ];

        Assert.True(MalformedRequests.All.Count >= 200, $"Only {MalformedRequests.All.Count} cases.");
        Assert.Equal(MalformedRequests.All.Count, MalformedRequests.All.Select(c => c.Id).Distinct().Count());
        Assert.All(routes, route => Assert.Contains(MalformedRequests.All, c => c.Route == route));
    }
}
