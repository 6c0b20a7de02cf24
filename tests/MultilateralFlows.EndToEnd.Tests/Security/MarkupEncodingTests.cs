using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Security;

/// <summary>
/// Script, HTML and quotes in every field a person writes (title, organisation, item titles and texts, remarks, a settled
/// text, review comments, cancellation reason), followed through a whole round: the reply form, the confirmation, the form shown
/// again with errors, the closed page, the position as HTML and Markdown, and every e-mail's HTML body. Each text must
/// be there (so the check looks at real output), and only encoded.
/// </summary>
public abstract class MarkupEncodingTests(HostKind kind) : HostTest(kind)
{
    /// <summary>A field's text: a script, an image with a handler, quotes, an ampersand, and an attempt to leave a textarea.</summary>
    static string Markup(string field) => $"mf-{field} <script>alert('{field}')</script><img src=x onerror=alert('{field}')>\"'& </textarea><b>{field}</b>";

    [SkippableFact]
    public async Task Round_MarkupInEveryWrittenField_AppearsOnlyEncodedInEveryPageAndEmail()
    {
        var request = RoundRequests.Soia("education", "environment")
            .With("title", Markup("title"))
            .With("organisation", Markup("org"))
            .With("items", new JsonArray(
                RoundRequests.Item("5.I", Markup("item1-title"), Markup("item1-text") + "\nsecond line"),
                RoundRequests.Item("12", Markup("item2-title"), Markup("item2-text"))));
        var roundId = await Host.StartAsync(request);
        var requests = await Host.MailFolder.WaitForAsync(roundId, 2);
        string Link(string participant) => requests.Single(m => m.ParticipantId == participant).ReplyLink;

        using var client = new HttpClient();
        var form = await client.GetStringAsync(Link("education"));
        AssertEncoded(form, "reply form", "title", "org", "item1-title", "item1-text", "item2-title", "item2-text");

        // A form with an error comes back with what was typed in it.
        using (var incomplete = await RoundApi.ReplyFormAsync(Link("education"), ("5.I", "Objection", Markup("remarks-retyped"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            AssertEncoded(await incomplete.Content.ReadAsStringAsync(), "form shown again", "remarks-retyped", "item1-title");
        }

        using (var confirmation = await RoundApi.ReplyFormAsync(Link("education"), ("5.I", "Objection", Markup("remarks")), ("12", "AgreeWithRemarks", Markup("remarks2"))))
        {
            Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
            AssertEncoded(await confirmation.Content.ReadAsStringAsync(), "confirmation", "title", "item1-title", "remarks", "remarks2");
        }

        AssertEncoded(await client.GetStringAsync(Link("education")), "reply form with the reply filled in", "remarks", "remarks2");
        using (await RoundApi.ReplyJsonAsync(Link("environment"), ("5.I", "Agree", null), ("12", "Agree", null)))
        {
        }

        await Host.WaitForPhaseAsync(roundId, "Reviewing");
        await Host.SettleAsync(roundId, "12", new { how = "Compromise", text = Markup("settled-text"), comments = Markup("settlement-comments") });
        AssertEncoded(await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position?format=html"), "draft position (HTML)", "title", "org", "item1-title", "item1-text", "remarks", "remarks2", "settled-text");
        AssertEscapedMarkdown(await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position?format=md"), "title", "org", "item1-title", "item1-text", "remarks", "settled-text");

        // Review comments: reopen the divergent item with them, then approve with more.
        await ActAsync($"/api/rounds/{roundId}/review", new JsonObject { ["decision"] = "reopen", ["comments"] = Markup("reopen-comments") });
        await WaitForIterationAsync(roundId, 2);
        AssertEncoded(await client.GetStringAsync(Link("education")), "reply form of the reopened round", "title", "item1-title", "remarks");
        using (await RoundApi.ReplyJsonAsync(Link("education"), ("5.I", "AgreeWithRemarks", Markup("remarks-round2"))))
        {
        }

        using (await RoundApi.ReplyJsonAsync(Link("environment"), ("5.I", "Agree", null)))
        {
        }

        await WaitForPositionVersionAsync(roundId, 3);
        await ActAsync($"/api/rounds/{roundId}/review", new JsonObject { ["decision"] = "approve", ["comments"] = Markup("approve-comments") });
        await Host.WaitForPhaseAsync(roundId, "Final");
        AssertEncoded(await Host.Client.GetStringAsync($"/api/rounds/{roundId}/position?format=html"), "final position (HTML)", "title", "remarks-round2", "settled-text");
        using (var closed = await client.GetAsync(Link("education")))
        {
            Assert.Equal(HttpStatusCode.Gone, closed.StatusCode);
            AssertEncoded(await closed.Content.ReadAsStringAsync(), "closed page", "title");
        }

        // A cancelled round with a reason.
        var cancelledId = await Host.StartAsync(RoundRequests.Soia("education").With("title", Markup("cancelled-title")));
        var cancelledLink = (await Host.MailFolder.WaitForAsync(cancelledId, 1)).Single().ReplyLink;
        await ActAsync($"/api/rounds/{cancelledId}/cancel", new JsonObject { ["reason"] = Markup("reason") });
        await Host.WaitForPhaseAsync(cancelledId, "Cancelled");
        using (var closed = await client.GetAsync(cancelledLink))
        {
            Assert.Equal(HttpStatusCode.Gone, closed.StatusCode);
            AssertEncoded(await closed.Content.ReadAsStringAsync(), "closed page of a cancelled round", "cancelled-title");
        }

        // Every e-mail of both rounds: requests, receipts, notices (and whatever else the round sends).
        await Host.MailFolder.WaitForAsync(roundId, 2, "CoordinatorNotice");
        var emails = Host.MailFolder.Messages().Where(m => m.RoundId == roundId || m.RoundId == cancelledId).ToList();
        Assert.Contains(emails, m => m.Kind == "Receipt");
        foreach (var email in emails)
        {
            AssertEncoded(email.Html, $"e-mail {email.FileName}", email.RoundId == roundId ? "title" : "cancelled-title");
        }
    }

    /// <summary>Each named field's text is in the output (so this checks something), and no markup of any field is raw.</summary>
    static void AssertEncoded(string output, string where, params string[] fieldsShown)
    {
        foreach (var field in fieldsShown)
        {
            Assert.True(output.Contains($"mf-{field} ", StringComparison.Ordinal), $"{where}: the text of '{field}' is not shown at all.");
        }

        foreach (var raw in new[] { "<script>alert(", "<img src=x", "</textarea><b>", "<b>mf-" })
        {
            Assert.False(output.Contains(raw, StringComparison.OrdinalIgnoreCase), $"{where}: '{raw}' appears unencoded:\n{output}");
        }
    }

    /// <summary>In Markdown a tag is text when its '&lt;' is escaped with a backslash: no payload tag may start unescaped.</summary>
    static void AssertEscapedMarkdown(string markdown, params string[] fieldsShown)
    {
        foreach (var field in fieldsShown)
        {
            Assert.True(markdown.Contains($"mf-{field} ", StringComparison.Ordinal), $"Markdown: the text of '{field}' is not shown at all.");
        }

        var unescaped = Regex.Matches(markdown, @"(?<!\\)<(script|img|/textarea|b>)", RegexOptions.IgnoreCase);
        Assert.True(unescaped.Count == 0, $"Markdown: unescaped markup '{unescaped.FirstOrDefault()?.Value}':\n{markdown}");
    }

    async Task ActAsync(string path, JsonObject body)
    {
        using var response = await Host.Client.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    async Task WaitForIterationAsync(string roundId, int iteration)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while ((await Host.StatusAsync(roundId))["iteration"]!.GetValue<int>() < iteration)
        {
            Assert.True(DateTime.UtcNow < until, $"Round {roundId} did not reach iteration {iteration}.\n{Host.Output}");
            await Task.Delay(250);
        }
    }

    async Task WaitForPositionVersionAsync(string roundId, int version)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var status = await Host.StatusAsync(roundId);
            if (status["phase"]!.GetValue<string>() == "Reviewing" && status["positionVersion"]!.GetValue<int>() >= version)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < until, $"Round {roundId} did not reach draft version {version}.\n{Host.Output}");
            await Task.Delay(250);
        }
    }

    public sealed class OnLocalHost() : MarkupEncodingTests(HostKind.Local);

    public sealed class OnFunctionsHost() : MarkupEncodingTests(HostKind.Functions);
}
