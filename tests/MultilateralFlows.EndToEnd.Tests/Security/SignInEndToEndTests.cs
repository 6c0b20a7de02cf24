using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Security;

/// <summary>
/// Sign-in where App Service Authentication is not on (both hosts here): a client principal in the request is a
/// forgery and refused on every coordinator route, whatever it claims; the development sign-in (on for test hosts, as
/// in local.settings.sample.json) signs a person in with a cookie, the audit then names that person, and signing out
/// removes the cookie.
/// </summary>
public abstract class SignInEndToEndTests(HostKind kind) : HostTest(kind)
{
    const string Person = "an.devos@vlaanderen.example";

    /// <summary>What App Service would pass for a signed-in coordinator; here anyone can write it.</summary>
    static readonly string ForgedPrincipal = Convert.ToBase64String(Encoding.UTF8.GetBytes(
        """{"auth_typ":"aad","claims":[{"typ":"preferred_username","val":"forger@evil.example"},{"typ":"roles","val":"Coordinator"}],"name_typ":"name","role_typ":"roles"}"""));

    [SkippableTheory]
    [InlineData("GET", "/api/rounds", "X-MS-CLIENT-PRINCIPAL")]
    [InlineData("POST", "/api/rounds", "X-MS-CLIENT-PRINCIPAL")]
    [InlineData("POST", "/api/rounds/00000000000000000000000000000000/cancel", "X-MS-CLIENT-PRINCIPAL")]
    [InlineData("GET", "/api/rounds/00000000000000000000000000000000/audit", "X-MS-CLIENT-PRINCIPAL-NAME")]
    public async Task CoordinatorRoute_ForgedClientPrincipal_401ProblemAndNothingDone(string method, string path, string header)
    {
        var organisation = $"Forgery test {Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add(header, header == "X-MS-CLIENT-PRINCIPAL" ? ForgedPrincipal : "forger@evil.example");
        if (method == "POST")
        {
            request.Content = new StringContent(RoundRequests.Soia("education").With("organisation", organisation).ToJsonString(), Encoding.UTF8, "application/json");
        }

        // Sent with the function key (Host.Client has it on the Functions host): the app itself refuses.
        using var response = await Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("App Service Authentication", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds?organisation={Uri.EscapeDataString(organisation)}");
        Assert.Empty(stored!["rounds"]!.AsArray());
    }

    [SkippableFact]
    public async Task DevelopmentSignIn_SignInActSignOut_TheCookieNamesThePersonInTheAuditUntilSignedOut()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Host.BaseUrl) };

        var form = await browser.GetStringAsync("/api/console/sign-in?returnPath=%2Fapi%2Fconsole%2Frounds");
        Assert.Contains("<form method=\"post\" action=\"/api/console/sign-in\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"/api/console/rounds\"", form, StringComparison.Ordinal);

        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/console/sign-in")
        {
            Content = new FormUrlEncodedContent([new("email", Person), new("name", "An Devos"), new("returnPath", "/api/console/rounds")]),
        };
        signIn.Headers.Add("Origin", Host.BaseUrl);
        signIn.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var signedIn = await browser.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/api/console/rounds", signedIn.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];

        // The session names who acts: the audit records the person signed in.
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/rounds") { Content = JsonContent.Create(RoundRequests.Soia("education")) };
        start.Headers.Add("Cookie", cookie);
        using var started = await Host.Client.SendAsync(start);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var roundId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var audit = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/audit"))!["entries"]!.AsArray();
        Assert.Equal($"coordinator {Person}", audit.Single(e => (string?)e!["action"] == "RoundCreated")!["actor"]!.GetValue<string>());

        // A session cookie changed by hand names nobody.
        using var tampered = new HttpRequestMessage(HttpMethod.Post, $"/api/rounds/{roundId}/reminders");
        tampered.Headers.Add("Cookie", cookie[..^2] + (cookie[^2] == 'A' ? "B" : "A") + cookie[^1]);
        using (await Host.Client.SendAsync(tampered))
        {
        }

        var reminded = (await Host.Client.GetFromJsonAsync<JsonObject>($"/api/rounds/{roundId}/audit"))!["entries"]!.AsArray()
            .LastOrDefault(e => (string?)e!["action"] == "RemindNowRequested");
        Assert.True(reminded is null || !((string)reminded["actor"]!).Contains(Person, StringComparison.Ordinal));

        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/console/sign-out");
        signOut.Headers.Add("Cookie", cookie);
        signOut.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var signedOut = await browser.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        var removed = Assert.Single(signedOut.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(cookie.Split('=')[0] + "=;", removed, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", removed, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task DevelopmentSignIn_PostFromAnotherSite_403AndNoCookie()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Host.BaseUrl) };
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/console/sign-in")
        {
            Content = new FormUrlEncodedContent([new("email", Person), new("name", "An Devos")]),
        };
        signIn.Headers.Add("Origin", "https://evil.example");

        using var refused = await browser.SendAsync(signIn);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
    }

    public sealed class OnLocalHost() : SignInEndToEndTests(HostKind.Local);

    public sealed class OnFunctionsHost() : SignInEndToEndTests(HostKind.Functions);
}
