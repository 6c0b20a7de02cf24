using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MultilateralFlows.Hosting;
using MultilateralFlows.Http;

namespace MultilateralFlows.Tests.Http;

/// <summary>
/// Who calls, decided in one place: the platform's principal with the Coordinator role where App Service Authentication
/// is on; a forged principal refused where it is off; there the development sign-in's session for the console, and
/// the session or the X-Acting-Coordinator header for the audit. Redirects stay on this app.
/// </summary>
public sealed class CoordinatorSignInTests
{
    static HttpRequest WithPrincipal(string principal)
    {
        var request = SignInWorld.Request("POST");
        request.Headers[ClientPrincipal.HeaderName] = principal;
        return request;
    }

    [Fact]
    public void ForApi_PlatformOnWithACoordinator_TheAuditNamesThemAndTheHeaderIsIgnored()
    {
        var request = WithPrincipal(SignInWorld.CoordinatorPrincipal());
        request.Headers[ActingCoordinator.HeaderName] = "someone.else@diplobel.fed.be";

        var (acting, refusal) = new SignInWorld(platformAuth: true).SignIn.ForApi(request);

        Assert.Null(refusal);
        Assert.Equal(SignInWorld.Person, acting!.Email);
    }

    [Fact]
    public async Task ForApi_PlatformOnWithoutAPrincipal_401()
    {
        var request = SignInWorld.Request("POST");
        request.Headers[ActingCoordinator.HeaderName] = SignInWorld.Person;

        var (acting, refusal) = new SignInWorld(platformAuth: true).SignIn.ForApi(request);

        Assert.Null(acting);
        Assert.Equal(401, (await SignInWorld.ExecuteAsync(refusal!, request)).Status);
    }

    [Fact]
    public async Task ForApi_PlatformOnWithAMalformedPrincipal_401()
    {
        var request = WithPrincipal("bm90IGpzb24=");

        var (_, refusal) = new SignInWorld(platformAuth: true).SignIn.ForApi(request);

        Assert.Equal(401, (await SignInWorld.ExecuteAsync(refusal!, request)).Status);
    }

    [Fact]
    public async Task ForApi_PlatformOnWithoutTheRole_403ProblemDetails()
    {
        var request = WithPrincipal(SignInWorld.Principal([("preferred_username", SignInWorld.Person), ("roles", "Reader")]));

        var (acting, refusal) = new SignInWorld(platformAuth: true).SignIn.ForApi(request);

        Assert.Null(acting);
        var (status, body, headers) = await SignInWorld.ExecuteAsync(refusal!, request);
        Assert.Equal(403, status);
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Contains("Coordinator", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientPrincipal.HeaderName)]
    [InlineData("X-MS-CLIENT-PRINCIPAL-NAME")]
    [InlineData("x-ms-client-principal-id")]
    [InlineData("X-MS-CLIENT-PRINCIPAL-IDP")]
    public async Task ForApi_PlatformOffWithAnyPrincipalHeader_401ForgedEvenWithAValidPrincipal(string header)
    {
        var request = SignInWorld.Request("POST");
        request.Headers[header] = header == ClientPrincipal.HeaderName ? SignInWorld.CoordinatorPrincipal() : SignInWorld.Person;

        var (acting, refusal) = new SignInWorld(platformAuth: false, developmentSignIn: true).SignIn.ForApi(request);

        Assert.Null(acting);
        var (status, body, _) = await SignInWorld.ExecuteAsync(refusal!, request);
        Assert.Equal(401, status);
        Assert.Contains("App Service Authentication", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ForApi_PlatformOff_TheHeaderNamesThePersonAsBefore()
    {
        var request = SignInWorld.Request("POST");
        request.Headers[ActingCoordinator.HeaderName] = SignInWorld.Person;

        var (acting, refusal) = new SignInWorld().SignIn.ForApi(request);

        Assert.Null(refusal);
        Assert.Equal(SignInWorld.Person, acting!.Email);
    }

    [Fact]
    public void ForApi_PlatformOffWithADevelopmentSession_TheSessionsPersonOverTheHeader()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST");
        request.Headers.Cookie = $"{DevelopmentSessions.CookieName}={world.Sessions.Issue("jan@diplobel.fed.be", "Jan")}";
        request.Headers[ActingCoordinator.HeaderName] = SignInWorld.Person;

        var (acting, _) = world.SignIn.ForApi(request);

        Assert.Equal("jan@diplobel.fed.be", acting!.Email);
    }

    [Fact]
    public void ForApi_ASessionCookieWhereTheDevelopmentSignInIsOff_IsNotTaken()
    {
        var cookie = new SignInWorld(developmentSignIn: true).Sessions.Issue("jan@diplobel.fed.be", "Jan");
        var request = SignInWorld.Request("POST");
        request.Headers.Cookie = $"{DevelopmentSessions.CookieName}={cookie}";

        var (acting, _) = new SignInWorld(developmentSignIn: false).SignIn.ForApi(request);

        Assert.Null(acting!.Email);
    }

    [Fact]
    public void ForConsole_PlatformOnWithACoordinator_ThePerson()
    {
        var (person, refusal) = new SignInWorld(platformAuth: true).SignIn.ForConsole(WithPrincipal(SignInWorld.CoordinatorPrincipal()), "/api/console");

        Assert.Null(refusal);
        Assert.Equal(new[] { "Coordinator", "Reader" }, person!.Roles);
    }

    [Fact]
    public async Task ForConsole_PlatformOnWithoutAPrincipal_RedirectsToEntraSignInAndBackToThePage()
    {
        var request = SignInWorld.Request();

        var (_, refusal) = new SignInWorld(platformAuth: true).SignIn.ForConsole(request, "/api/console/rounds?phase=Reviewing");

        var (status, _, headers) = await SignInWorld.ExecuteAsync(refusal!, request);
        Assert.Equal(302, status);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole%2Frounds%3Fphase%3DReviewing", headers.Location.ToString());
    }

    [Fact]
    public async Task ForConsole_PlatformOnWithoutTheRole_403PageSayingSo()
    {
        var request = WithPrincipal(SignInWorld.Principal([("preferred_username", SignInWorld.Person)]));

        var (_, refusal) = new SignInWorld(platformAuth: true).SignIn.ForConsole(request, "/api/console");

        var (status, body, headers) = await SignInWorld.ExecuteAsync(refusal!, request);
        Assert.Equal(403, status);
        Assert.StartsWith("text/html", headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Contains(SignInWorld.Person, body, StringComparison.Ordinal);
        Assert.Contains("Coordinator role", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForConsole_PlatformOffWithAForgedPrincipal_401()
    {
        var request = WithPrincipal(SignInWorld.CoordinatorPrincipal());

        var (person, refusal) = new SignInWorld(developmentSignIn: true).SignIn.ForConsole(request, "/api/console");

        Assert.Null(person);
        Assert.Equal(401, (await SignInWorld.ExecuteAsync(refusal!, request)).Status);
    }

    [Fact]
    public async Task ForConsole_NoSignInAtAll_403PageSayingTheConsoleNeedsSignIn()
    {
        var request = SignInWorld.Request();

        var (_, refusal) = new SignInWorld().SignIn.ForConsole(request, "/api/console");

        var (status, body, _) = await SignInWorld.ExecuteAsync(refusal!, request);
        Assert.Equal(403, status);
        Assert.Contains("Console__DevelopmentSignIn", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForConsole_DevelopmentSignInWithoutASession_RedirectsToTheSignInForm()
    {
        var request = SignInWorld.Request();

        var (_, refusal) = new SignInWorld(developmentSignIn: true).SignIn.ForConsole(request, "/api/console/rounds/abc");

        var (status, _, headers) = await SignInWorld.ExecuteAsync(refusal!, request);
        Assert.Equal(302, status);
        Assert.Equal("/api/console/sign-in?returnPath=%2Fapi%2Fconsole%2Frounds%2Fabc", headers.Location.ToString());
    }

    [Fact]
    public void ForConsole_DevelopmentSession_ThePersonAsACoordinator()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request();
        request.Headers.Cookie = $"{DevelopmentSessions.CookieName}={world.Sessions.Issue(SignInWorld.Person, "An Devos")}";

        var (person, refusal) = world.SignIn.ForConsole(request, "/api/console");

        Assert.Null(refusal);
        Assert.Equal(new SignedInPerson(SignInWorld.Person, "An Devos", ["Coordinator"]).Email, person!.Email);
        Assert.True(person.IsCoordinator);
    }

    [Theory]
    [InlineData("/api/console", "/api/console")]
    [InlineData("/api/console/rounds/r-1?tab=audit", "/api/console/rounds/r-1?tab=audit")]
    [InlineData(null, "/api/console")]
    [InlineData("", "/api/console")]
    [InlineData("https://evil.example/api/console", "/api/console")]
    [InlineData("//evil.example/api/console", "/api/console")]
    [InlineData("/\\evil.example", "/api/console")]
    [InlineData("/api/console//evil.example", "/api/console")]
    [InlineData("/api/console/../../evil", "/api/console")]
    [InlineData("/api/consolex", "/api/console")]
    [InlineData("/api/rounds", "/api/console")]
    [InlineData("/api/console/\r\nSet-Cookie: x=1", "/api/console")]
    [InlineData("/api/console/sign-in?returnPath=https://evil.example", "/api/console")]
    [InlineData("javascript:alert(1)", "/api/console")]
    public void LocalReturnPath_OnlyAPathOfTheConsole(string? asked, string expected) =>
        Assert.Equal(expected, CoordinatorSignIn.LocalReturnPath(asked));

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site", false)]
    [InlineData("Sec-Fetch-Site", "same-site", false)]
    [InlineData("Sec-Fetch-Site", "same-origin", true)]
    [InlineData("Origin", "http://evil.example", false)]
    [InlineData("Origin", "null", false)]
    [InlineData("Origin", "http://127.0.0.1:7072", false)]
    [InlineData("Origin", "http://127.0.0.1:7071", true)]
    public async Task ForConsoleForm_APostFromAnotherSite_403AndFromThisAppServed(string header, string value, bool served)
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST");
        request.Headers.Cookie = $"{DevelopmentSessions.CookieName}={world.Sessions.Issue(SignInWorld.Person, "An Devos")}";
        request.Headers[header] = value;

        var (person, refusal) = world.SignIn.ForConsoleForm(request, "/api/console");

        Assert.Equal(served, person is not null);
        if (!served)
        {
            Assert.Equal(403, (await SignInWorld.ExecuteAsync(refusal!, request)).Status);
        }
    }

    [Fact]
    public void Options_DevelopmentSignInInAppService_RefusedAtStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Console:DevelopmentSignIn"] = "true",
            ["WEBSITE_SITE_NAME"] = "func-abc",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddMultilateralFlows(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ConsoleOptions>>().Value);

        Assert.Contains("App Service", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false, false, "WEBSITE_INSTANCE_ID")]
    [InlineData(true, false, true, "WEBSITE_AUTH_ENABLED")]
    [InlineData(true, true, false, null)]
    [InlineData(false, false, false, null)]
    [InlineData(false, false, true, null)]
    public void OptionsValidator_DevelopmentSignIn_OnlyOutsideAppServiceAndPlatformAuthentication(
        bool developmentSignIn, bool onThisMachine, bool platformAuth, string? refusedFor)
    {
        var platform = new PlatformEnvironment(platformAuth, InAppService: !onThisMachine && refusedFor == "WEBSITE_INSTANCE_ID");

        var result = new ConsoleOptionsValidator(platform).Validate(null, new ConsoleOptions { DevelopmentSignIn = developmentSignIn });

        Assert.Equal(refusedFor is null, result.Succeeded);
        if (refusedFor is not null)
        {
            Assert.Contains(refusedFor, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData(null, false)]
    public void PlatformEnvironment_AuthEnabledAsAppServiceWritesIt(string? value, bool on) =>
        Assert.Equal(on, PlatformEnvironment.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = value }).Build()).AuthenticationEnabled);

    [Fact]
    public void DevelopmentSignIn_WhereThePlatformAuthenticates_IsOff() =>
        Assert.False(new SignInWorld(platformAuth: true, developmentSignIn: true).SignIn.DevelopmentSignIn);

    [Fact]
    public void SignOut_ThePlatformsLogoutLinkOrTheDevelopmentSignOutForm()
    {
        Assert.Equal(("/.auth/logout?post_logout_redirect_uri=%2Fapi%2Fconsole", false), new SignInWorld(platformAuth: true).SignIn.SignOut);
        Assert.Equal(("/api/console/sign-out", true), new SignInWorld(developmentSignIn: true).SignIn.SignOut);
    }

    [Fact]
    public void SameOrigin_NoBrowserHeaders_AScriptNotAForgery() =>
        Assert.True(CoordinatorSignIn.IsSameOrigin(SignInWorld.Request("POST", from: IPAddress.Loopback)));
}
