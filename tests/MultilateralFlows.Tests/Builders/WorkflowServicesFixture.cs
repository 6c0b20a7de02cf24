using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Builders;

/// <summary>The workflow's real services (as both hosts register them) on the shared Azurite, with a temporary mail folder.</summary>
public sealed class WorkflowServicesFixture : IAsyncLifetime
{
    public ServiceProvider Services { get; private set; } = null!;

    public AzuriteServer Storage { get; private set; } = null!;

    public string MailFolderPath { get; } = RepositoryPaths.NewTempFolder("mail");

    public async Task InitializeAsync() =>
        (Services, Storage) = await RealServices.StartAsync(new Dictionary<string, string?> { ["MailFolder:Path"] = MailFolderPath });

    public Task DisposeAsync() => Services.DisposeAsync().AsTask();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public HttpRequest Request(string method, string? body = null, string contentType = "application/json")
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>The coordinator the console's requests come from (<see cref="SignedInRequest"/>).</summary>
    public const string SignedInCoordinator = "an.devos@vlaanderen.be";

    /// <summary>
    /// A request from the console in a browser: signed in with the development sign-in's cookie, and (as a browser says
    /// of a form posted from the app's own page) from the same origin.
    /// </summary>
    public HttpRequest SignedInRequest(string method, string? body = null, string contentType = "application/json")
    {
        var request = Request(method, body, contentType);
        var session = Get<MultilateralFlows.Http.DevelopmentSessions>().Issue(SignedInCoordinator, "An Devos");
        request.Headers.Cookie = $"{MultilateralFlows.Http.DevelopmentSessions.CookieName}={session}";
        request.Headers["Sec-Fetch-Site"] = "same-origin";
        request.HttpContext.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        return request;
    }

    /// <summary>Runs a handler's result against a fresh response, as either host would.</summary>
    public Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(IResult result, HttpRequest? request = null) =>
        RealServices.ExecuteAsync(Services, result, request?.HttpContext ?? new DefaultHttpContext());

    public static JsonObject Json(string body) => JsonNode.Parse(body)!.AsObject();
}
