using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Pages.SignIn;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Http;

/// <summary>
/// <c>GET/POST /api/console/sign-in</c> and <c>POST /api/console/sign-out</c>: the development sign-in
/// (<c>Console__DevelopmentSignIn</c>), a form that signs a person in as a coordinator under the address they type, for a
/// machine of one's own. Where it is off (always in Azure) the routes answer 404. It serves callers on this machine only:
/// the local host may listen on every address, and anyone who could reach the form could act as a coordinator.
/// </summary>
public sealed class DevelopmentSignInApi(CoordinatorSignIn signIn, DevelopmentSessions sessions, ILogger<DevelopmentSignInApi> logger)
{
    public const int MaxFormBytes = 4 * 1024;

    /// <summary><c>GET /api/console/sign-in?returnPath=</c>: the form.</summary>
    public async Task<IResult> ShowAsync(HttpRequest request)
    {
        if (Unavailable(request) is { } unavailable)
        {
            return unavailable;
        }

        return await ComponentHtml.PageAsync<SignInForm>(
            StatusCodes.Status200OK, SignInForm.With(CoordinatorSignIn.LocalReturnPath(request.Query["returnPath"])));
    }

    /// <summary><c>POST /api/console/sign-in</c> with the form's <c>email</c>, <c>name</c> and <c>returnPath</c>.</summary>
    public async Task<IResult> SignInAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Unavailable(request) is { } unavailable)
        {
            return unavailable;
        }

        if (!CoordinatorSignIn.IsSameOrigin(request))
        {
            return Problems.Forbidden("This form was not sent from a page of this app.");
        }

        if (!RequestBody.IsForm(request))
        {
            return Problems.UnsupportedMediaType("application/x-www-form-urlencoded");
        }

        var body = await RequestBody.ReadTextAsync(request, MaxFormBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!RequestBody.IsWellEncodedForm(body.Text!))
        {
            return Problems.BadRequest("The form's percent-escapes are not valid UTF-8.");
        }

        var fields = QueryHelpers.ParseQuery(body.Text);
        var email = fields.GetValueOrDefault("email").ToString().Trim();
        var name = fields.GetValueOrDefault("name").ToString().Trim();
        var returnPath = CoordinatorSignIn.LocalReturnPath(fields.GetValueOrDefault("returnPath").ToString());
        var errors = new Dictionary<string, string[]>();
        if (email.Length == 0 || email.Length > 254 || !RoundRequestValidator.IsEmailAddress(email))
        {
            errors["email"] = ["Enter an e-mail address, like name@example.be."];
        }

        if (name.Length == 0 || name.Length > SignInForm.MaxNameLength || name.Any(char.IsControl))
        {
            errors["name"] = [$"Enter your name, on one line, at most {SignInForm.MaxNameLength} characters."];
        }

        if (errors.Count > 0)
        {
            return await ComponentHtml.PageAsync<SignInForm>(StatusCodes.Status400BadRequest, SignInForm.With(returnPath, email, name, errors));
        }

        sessions.SignIn(request.HttpContext.Response, email, name);
        logger.LogInformation("Development sign-in: {Email} signed in to the console", email);
        return new SeeOther(returnPath);
    }

    /// <summary><c>POST /api/console/sign-out</c>: the session cookie is removed.</summary>
    public async Task<IResult> SignOutAsync(HttpRequest request)
    {
        if (Unavailable(request) is { } unavailable)
        {
            return unavailable;
        }

        if (!CoordinatorSignIn.IsSameOrigin(request))
        {
            return Problems.Forbidden("This form was not sent from a page of this app.");
        }

        sessions.SignOut(request.HttpContext.Response);
        return await ComponentHtml.PageAsync<SignInNotice>(StatusCodes.Status200OK, SignInNotice.SignedOut());
    }

    IResult? Unavailable(HttpRequest request)
    {
        if (!signIn.DevelopmentSignIn)
        {
            return new ComponentResult<SignInNotice>(StatusCodes.Status404NotFound, SignInNotice.DevelopmentSignInOff());
        }

        var caller = request.HttpContext.Connection.RemoteIpAddress;
        return caller is null || IPAddress.IsLoopback(caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller)
            ? null
            : Problems.Forbidden("The development sign-in serves callers on this machine only.");
    }
}
