using System.Net;
using Microsoft.AspNetCore.Http;
using MultilateralFlows.Http;

namespace MultilateralFlows.Tests.Http;

/// <summary>
/// The development sign-in: a signed, expiring session cookie (HttpOnly, SameSite=Strict) that nobody can make or change
/// without the key, a form that signs in as a coordinator, for this machine's callers only, and nothing where it is off.
/// </summary>
public sealed class DevelopmentSignInTests
{
    [Fact]
    public void Session_AsIssued_NamesThePersonAsACoordinator()
    {
        var world = new SignInWorld(developmentSignIn: true);

        var person = world.Sessions.Read(world.Sessions.Issue(SignInWorld.Person, "An Devos"));

        Assert.Equal((SignInWorld.Person, "An Devos"), (person!.Email, person.Name));
        Assert.True(person.IsCoordinator);
    }

    [Fact]
    public void Session_PastItsLifetime_NobodyAndJustBeforeStillThePerson()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var cookie = world.Sessions.Issue(SignInWorld.Person, "An Devos");

        world.Time.Now += DevelopmentSessions.Lifetime - TimeSpan.FromSeconds(1);
        Assert.NotNull(world.Sessions.Read(cookie));
        world.Time.Now += TimeSpan.FromSeconds(2);
        Assert.Null(world.Sessions.Read(cookie));
    }

    [Fact]
    public void Session_PayloadChanged_Nobody()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var cookie = world.Sessions.Issue(SignInWorld.Person, "An Devos");
        var other = world.Sessions.Issue("jan@diplobel.fed.be", "Jan");

        // Another person's payload under this cookie's signature, and a payload with one character changed.
        var swapped = $"{other.Split('.')[0]}.{cookie.Split('.')[1]}";
        var flipped = (cookie[0] == 'A' ? "B" : "A") + cookie[1..];

        Assert.Null(world.Sessions.Read(swapped));
        Assert.Null(world.Sessions.Read(flipped));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("a.b.c")]
    [InlineData("eyJFIjoiYW5AeC5iZSIsIk4iOiJBIiwiWCI6OTk5OTk5OTk5OX0.")]
    [InlineData("!!!.???")]
    public void Session_NotOneThisAppMade_Nobody(string? cookie) =>
        Assert.Null(new SignInWorld(developmentSignIn: true).Sessions.Read(cookie));

    [Fact]
    public void Session_MadeWithAnotherKey_Nobody()
    {
        var elsewhere = new SignInWorld(developmentSignIn: true, signingKey: "another-signing-key-of-32-characters!").Sessions.Issue(SignInWorld.Person, "An");

        Assert.Null(new SignInWorld(developmentSignIn: true).Sessions.Read(elsewhere));
    }

    [Fact]
    public async Task SignIn_AValidForm_ACookieOnlyThisAppsPagesSendAndBackToTheConsole()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST", $"email={Uri.EscapeDataString(SignInWorld.Person)}&name=An+Devos&returnPath=%2Fapi%2Fconsole%2Frounds");

        var (status, _, headers) = await SignInWorld.ExecuteAsync(await world.Api.SignInAsync(request, CancellationToken.None), request);

        Assert.Equal(303, status);
        Assert.Equal("/api/console/rounds", headers.Location.ToString());
        var cookie = headers.SetCookie.ToString();
        Assert.StartsWith($"{DevelopmentSessions.CookieName}=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api", cookie, StringComparison.OrdinalIgnoreCase);
        var value = cookie.Split(';')[0][(DevelopmentSessions.CookieName.Length + 1)..];
        Assert.Equal(SignInWorld.Person, world.Sessions.Read(Uri.UnescapeDataString(value))!.Email);
    }

    [Fact]
    public async Task SignIn_ReturnPathElsewhere_BackToTheConsoleInstead()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST", "email=an%40vlaanderen.be&name=An&returnPath=https%3A%2F%2Fevil.example%2F");

        var (_, _, headers) = await SignInWorld.ExecuteAsync(await world.Api.SignInAsync(request, CancellationToken.None), request);

        Assert.Equal("/api/console", headers.Location.ToString());
    }

    [Fact]
    public async Task SignIn_BadAddressAndNoName_400TheFormAgainWithTheErrorsEncoded()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST", "email=%3Cscript%3E&name=");

        var (status, body, headers) = await SignInWorld.ExecuteAsync(await world.Api.SignInAsync(request, CancellationToken.None), request);

        Assert.Equal(400, status);
        Assert.Contains("Enter an e-mail address", body, StringComparison.Ordinal);
        Assert.Contains("Enter your name", body, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(headers.SetCookie.ToString()));
    }

    [Fact]
    public async Task SignIn_FromAnotherSite_403AndNoCookie()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST", "email=an%40vlaanderen.be&name=An");
        request.Headers["Sec-Fetch-Site"] = "cross-site";

        var (status, _, headers) = await SignInWorld.ExecuteAsync(await world.Api.SignInAsync(request, CancellationToken.None), request);

        Assert.Equal(403, status);
        Assert.True(string.IsNullOrEmpty(headers.SetCookie.ToString()));
    }

    [Fact]
    public async Task SignIn_FromAnotherMachine_403()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST", "email=an%40vlaanderen.be&name=An", IPAddress.Parse("203.0.113.7"));

        var (status, _, _) = await SignInWorld.ExecuteAsync(await world.Api.SignInAsync(request, CancellationToken.None), request);

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task SignInAndOut_WhereTheDevelopmentSignInIsOff_404()
    {
        var world = new SignInWorld(developmentSignIn: false);
        var form = SignInWorld.Request();
        var post = SignInWorld.Request("POST", "email=an%40vlaanderen.be&name=An");
        var signOut = SignInWorld.Request("POST");

        Assert.Equal(404, (await SignInWorld.ExecuteAsync(await world.Api.ShowAsync(form), form)).Status);
        Assert.Equal(404, (await SignInWorld.ExecuteAsync(await world.Api.SignInAsync(post, CancellationToken.None), post)).Status);
        Assert.Equal(404, (await SignInWorld.ExecuteAsync(await world.Api.SignOutAsync(signOut), signOut)).Status);
    }

    [Fact]
    public async Task ShowForm_LabelledFieldsAndTheReturnPathKeptLocal()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request();
        request.QueryString = new QueryString("?returnPath=%2F%2Fevil.example");

        var (status, body, _) = await SignInWorld.ExecuteAsync(await world.Api.ShowAsync(request), request);

        Assert.Equal(200, status);
        Assert.Contains("<label for=\"email\">", body, StringComparison.Ordinal);
        Assert.Contains("<label for=\"name\">", body, StringComparison.Ordinal);
        Assert.Contains("name=\"returnPath\" value=\"/api/console\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_TheCookieIsRemoved()
    {
        var world = new SignInWorld(developmentSignIn: true);
        var request = SignInWorld.Request("POST");

        var (status, _, headers) = await SignInWorld.ExecuteAsync(await world.Api.SignOutAsync(request), request);

        Assert.Equal(200, status);
        Assert.Contains($"{DevelopmentSessions.CookieName}=;", headers.SetCookie.ToString(), StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
