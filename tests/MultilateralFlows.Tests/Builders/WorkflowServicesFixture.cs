using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Hosting;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Builders;

/// <summary>The workflow's real services (as both hosts register them) on the shared Azurite, with a temporary mail folder.</summary>
public sealed class WorkflowServicesFixture : IAsyncLifetime
{
    public ServiceProvider Services { get; private set; } = null!;

    public AzuriteServer Storage { get; private set; } = null!;

    public string MailFolderPath { get; } = RepositoryPaths.NewTempFolder("mail");

    public async Task InitializeAsync()
    {
        Storage = await SharedAzurite.GetAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Storage.ConnectionString,
            ["Links:PublicBaseUrl"] = "https://flows.example",
            ["Links:SigningKey"] = "unit-test-signing-key-of-32-characters",
            ["SendGrid:FromEmail"] = "flows@tests.example",
            ["MailFolder:Path"] = MailFolderPath,
        }).Build();
        Services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddMultilateralFlows(configuration)
            .BuildServiceProvider(validateScopes: true);
    }

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

    /// <summary>Runs a handler's result against a fresh response, as either host would.</summary>
    public async Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(IResult result, HttpRequest? request = null)
    {
        var context = request?.HttpContext ?? new DefaultHttpContext { RequestServices = Services };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync(), context.Response.Headers);
    }

    public static JsonObject Json(string body) => JsonNode.Parse(body)!.AsObject();
}
