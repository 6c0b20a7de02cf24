using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using MultilateralFlows.Pages.SignIn;

namespace MultilateralFlows.Http;

/// <summary>Someone signed in: their address (who the audit names), their name, and their app roles.</summary>
public sealed record SignedInPerson(string Email, string Name, IReadOnlyList<string> Roles)
{
    public bool IsCoordinator => Roles.Contains(ClientPrincipal.CoordinatorRole);

    public ActingCoordinator AsActor() => new(Email);
}

/// <summary>
/// Who is calling, for the console and the coordinator routes, decided here and nowhere else:
/// <list type="bullet">
/// <item>where App Service Authentication is on (<see cref="PlatformEnvironment.AuthenticationEnabled"/>), the client
/// principal it passes, with the app role <c>Coordinator</c>: 401 without a principal (or one that does not parse),
/// 403 without the role;</item>
/// <item>elsewhere an <c>X-MS-CLIENT-PRINCIPAL*</c> header is a forgery (nothing strips it): 401;</item>
/// <item>elsewhere the console takes the development sign-in's session where <c>Console__DevelopmentSignIn</c> is on,
/// and the coordinator routes are protected by function keys (Functions host) or the loopback-or-key filter (local
/// host), with the person named by the session or the <c>X-Acting-Coordinator</c> header.</item>
/// </list>
/// </summary>
public sealed class CoordinatorSignIn(IOptions<ConsoleOptions> options, PlatformEnvironment platform, DevelopmentSessions sessions)
{
    public const string ConsoleRoot = "/api/console";
    public const string SignInPath = "/api/console/sign-in";
    public const string SignOutPath = "/api/console/sign-out";
    public const string PlatformLoginPath = "/.auth/login/aad";

    /// <summary>A request's checked identity, kept so that a host's gate and the handler behind it decide once.</summary>
    static readonly object ApiIdentityKey = new();

    public bool PlatformAuthentication => platform.AuthenticationEnabled;

    public bool DevelopmentSignIn => options.Value.DevelopmentSignIn && !platform.AuthenticationEnabled;

    /// <summary>
    /// Where the console's "Sign out" goes: App Service's own logout, a link (GET), where the platform signs people in;
    /// else the development sign-out, a form that posts (<see cref="SignOutPath"/>).
    /// </summary>
    public (string Path, bool IsPost) SignOut => platform.AuthenticationEnabled
        ? ($"/.auth/logout?post_logout_redirect_uri={Uri.EscapeDataString(ConsoleRoot)}", false)
        : (SignOutPath, true);

    /// <summary>
    /// For a console page: the signed-in coordinator, or the answer to give instead: a redirect to sign in (to come back
    /// to <paramref name="returnPath"/>, a path of the console; anything else comes back to the console's start), 403
    /// without the role, 401 for a principal the platform did not vouch for, or a page saying the console needs sign-in.
    /// </summary>
    public (SignedInPerson? Person, IResult? Refusal) ForConsole(HttpRequest request, string returnPath)
    {
        var back = LocalReturnPath(returnPath);
        if (platform.AuthenticationEnabled)
        {
            if (!request.Headers.ContainsKey(ClientPrincipal.HeaderName))
            {
                return (null, Results.Redirect($"{PlatformLoginPath}?post_login_redirect_uri={Uri.EscapeDataString(back)}"));
            }

            var (person, error) = ClientPrincipal.Parse(request.Headers[ClientPrincipal.HeaderName], request.Headers[ClientPrincipal.NameHeaderName]);
            return person is null
                ? (null, Problems.Unauthorized($"{error} Sign in again."))
                : person.IsCoordinator ? (person, null) : (null, NoRolePage(person));
        }

        if (ClientPrincipal.HasAnyHeader(request))
        {
            return (null, Forged());
        }

        if (!options.Value.DevelopmentSignIn)
        {
            return (null, new ComponentResult<SignInNotice>(StatusCodes.Status403Forbidden, SignInNotice.NeedsSignIn()));
        }

        return sessions.Read(request) is { } signedIn
            ? (signedIn, null)
            : (null, Results.Redirect($"{SignInPath}?returnPath={Uri.EscapeDataString(back)}"));
    }

    /// <summary>
    /// For a console form's post (a state change): as <see cref="ForConsole"/>, and refused with 403 when the post does
    /// not come from a page of this app (<see cref="IsSameOrigin"/>). With the SameSite=Strict session cookie, that is
    /// the console's protection against cross-site request forgery.
    /// </summary>
    public (SignedInPerson? Person, IResult? Refusal) ForConsoleForm(HttpRequest request, string returnPath)
    {
        if (!IsSameOrigin(request))
        {
            return (null, CrossSite());
        }

        return ForConsole(request, returnPath);
    }

    /// <summary>
    /// For a coordinator route: who the audit names, or the refusal. Platform authentication on: the principal's person
    /// (the <c>X-Acting-Coordinator</c> header is ignored then: the platform says who calls). Off: a forged principal is
    /// refused; the development session's person where there is one; else the header (<see cref="ActingCoordinator.FromHeader"/>).
    /// </summary>
    public (ActingCoordinator? Acting, IResult? Refusal) ForApi(HttpRequest request)
    {
        if (request.HttpContext.Items.TryGetValue(ApiIdentityKey, out var decided) && decided is ApiIdentity known)
        {
            return (known.Acting, known.Refusal);
        }

        var (acting, refusal) = DecideForApi(request);
        request.HttpContext.Items[ApiIdentityKey] = new ApiIdentity(acting, refusal);
        return (acting, refusal);
    }

    (ActingCoordinator? Acting, IResult? Refusal) DecideForApi(HttpRequest request)
    {
        if (platform.AuthenticationEnabled)
        {
            var (person, error) = ClientPrincipal.Parse(request.Headers[ClientPrincipal.HeaderName], request.Headers[ClientPrincipal.NameHeaderName]);
            if (person is null)
            {
                return (null, Problems.Unauthorized($"{error} Coordinator routes need a signed-in principal (Entra ID) with the Coordinator app role."));
            }

            return person.IsCoordinator
                ? (person.AsActor(), null)
                : (null, Problems.Forbidden($"{person.Email} is signed in but does not hold the {ClientPrincipal.CoordinatorRole} app role."));
        }

        if (ClientPrincipal.HasAnyHeader(request))
        {
            return (null, Forged());
        }

        if (options.Value.DevelopmentSignIn && sessions.Read(request) is { } signedIn)
        {
            return (signedIn.AsActor(), null);
        }

        return ActingCoordinator.FromHeader(request);
    }

    /// <summary>
    /// Whether a post comes from a page of this app: browsers say so in <c>Sec-Fetch-Site</c> (whatever the page's
    /// referrer policy), else in <c>Origin</c>, compared with the request's own host. A request with neither comes from
    /// no browser (a script holding the credentials itself), so it is no forgery of a browser's session.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase);
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        // "null": an opaque origin (a sandboxed frame, a file, a redirect across sites): not ours.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && request.Host.HasValue
            && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == (request.Host.Port ?? (uri.Scheme == Uri.UriSchemeHttps ? 443 : 80));
    }

    /// <summary>
    /// Where to come back to after sign-in: a path of the console only, so that no link can send a coordinator
    /// elsewhere through the sign-in (no scheme, no host, no <c>//</c> or <c>\</c>, no dot segments, no control characters);
    /// anything else is the console's start.
    /// </summary>
    public static string LocalReturnPath(string? path)
    {
        if (string.IsNullOrEmpty(path)
            || path.Length > 2048
            || !(path.Equals(ConsoleRoot, StringComparison.Ordinal) || path.StartsWith(ConsoleRoot + "/", StringComparison.Ordinal)
                || path.StartsWith(ConsoleRoot + "?", StringComparison.Ordinal))
            || path.Contains("//", StringComparison.Ordinal)
            || path.Contains('\\', StringComparison.Ordinal)
            || path.Contains("/.", StringComparison.Ordinal)
            || path.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            || path.StartsWith(SignInPath, StringComparison.Ordinal))
        {
            return ConsoleRoot;
        }

        return path;
    }

    static IResult Forged() => Problems.Unauthorized(
        "X-MS-CLIENT-PRINCIPAL headers are set by App Service Authentication, which is not on here: this request's are not to be trusted.");

    static IResult CrossSite() => Problems.Forbidden("This form was not sent from a page of this app.");

    static IResult NoRolePage(SignedInPerson person) =>
        new ComponentResult<SignInNotice>(StatusCodes.Status403Forbidden, SignInNotice.NoRole(person.Email));

    sealed record ApiIdentity(ActingCoordinator? Acting, IResult? Refusal);
}
