using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MultilateralFlows.Http;
using MultilateralFlows.Replies;
using MultilateralFlows.Tests.Email;

namespace MultilateralFlows.Tests.Http;

/// <summary>Sign-in as one configuration of the platform sees it: platform authentication on or off, the development sign-in on or off.</summary>
public sealed class SignInWorld(bool platformAuth = false, bool developmentSignIn = false, string signingKey = SignInWorld.Key)
{
    public const string Key = "unit-test-signing-key-of-32-characters";
    public const string Person = "an.devos@vlaanderen.be";

    static readonly IServiceProvider ResultServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    public FixedTime Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public DevelopmentSessions Sessions => new(Options.Create(new LinkOptions { PublicBaseUrl = "https://flows.example", SigningKey = signingKey }), Time);

    public CoordinatorSignIn SignIn => new(
        Options.Create(new ConsoleOptions { DevelopmentSignIn = developmentSignIn }), new PlatformEnvironment(platformAuth, InAppService: false), Sessions);

    public DevelopmentSignInApi Api => new(SignIn, Sessions, NullLogger<DevelopmentSignInApi>.Instance);

    public static HttpRequest Request(string method = "GET", string? form = null, IPAddress? from = null)
    {
        var context = new DefaultHttpContext { RequestServices = ResultServices };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 7071);
        context.Connection.RemoteIpAddress = from ?? IPAddress.Loopback;
        if (form is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(form);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/x-www-form-urlencoded";
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>An <c>X-MS-CLIENT-PRINCIPAL</c> as App Service writes it: base64 of the JSON with these claims.</summary>
    public static string Principal(IEnumerable<(string Type, string Value)> claims, string roleType = "roles") =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            auth_typ = "aad",
            claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
            name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            role_typ = roleType,
        }));

    public static string CoordinatorPrincipal(string who = Person) =>
        Principal([("preferred_username", who), ("name", "An Devos"), ("roles", "Coordinator"), ("roles", "Reader")]);

    public static async Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(IResult result, HttpRequest request)
    {
        var response = request.HttpContext.Response;
        response.Body = new MemoryStream();
        await result.ExecuteAsync(request.HttpContext);
        response.Body.Position = 0;
        return (response.StatusCode, await new StreamReader(response.Body).ReadToEndAsync(), response.Headers);
    }
}
