using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MultilateralFlows.Hosting;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Builders;

/// <summary>
/// The workflow's real services, registered as both hosts register them, on the shared Azurite: the one way the unit
/// tests that need storage get them (<see cref="WorkflowServicesFixture"/> per test class, <c>EmailWorld</c> per test
/// with a fake SendGrid). Settings a test gives override the defaults here.
/// </summary>
public static class RealServices
{
    public static async Task<(ServiceProvider Services, AzuriteServer Storage)> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var storage = await SharedAzurite.GetAsync();
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Links:PublicBaseUrl"] = "https://flows.example",
            ["Links:SigningKey"] = "unit-test-signing-key-of-32-characters",
            ["SendGrid:FromEmail"] = "flows@tests.example",
            ["MailFolder:Path"] = RepositoryPaths.NewTempFolder("mail"),
            // The console's handlers need someone signed in; tests sign in with the development sign-in's cookie.
            ["Console:DevelopmentSignIn"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddMultilateralFlows(configuration);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return (services.BuildServiceProvider(validateScopes: true), storage);
    }

    /// <summary>Runs an HTTP handler's result against a context, as either host would, and returns what it wrote.</summary>
    public static async Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(
        IServiceProvider services, IResult result, HttpContext context)
    {
        context.RequestServices = services;
        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()), context.Response.Headers);
    }
}
