using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using MultilateralFlows.Functions.Health;
using MultilateralFlows.Http;

namespace MultilateralFlows.Tests.Functions;

/// <summary>
/// Who may call what in Azure: the Functions host checks function keys before any of our code runs, so the level on
/// each HTTP trigger is the coordinator routes' only gate there. Anonymous are only the routes whose caller proves
/// itself otherwise: the reply routes (the token in the path), SendGrid's event webhook (its signature), health and the
/// OpenAPI document (they tell nothing secret); the console (<c>console/…</c>), where a person in a browser has no
/// function key and sign-in is the credential (<c>CoordinatorSignIn</c>: the platform's principal, or the development
/// sign-in); and the catch-all, which only answers 404 or 405 for what no other route takes and does nothing.
/// </summary>
public sealed class AuthorizationLevelTests
{
    static readonly string[] Anonymous =
    [
        "health", "openapi.json", "reply/{token}", "email/events", ApiRoutes.UnmatchedTemplate,
        .. ApiRoutes.All.Where(r => r.Name.StartsWith("Console", StringComparison.Ordinal)).Select(r => r.Template).Distinct(),
    ];

    static IReadOnlyList<(string Function, string Route, AuthorizationLevel Level)> HttpTriggers() =>
        typeof(HealthFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .Select(f => (f.Function!.Name, f.Trigger!.Route ?? "", f.Trigger.AuthLevel))
            .ToList();

    [Fact]
    public void CoordinatorRoutes_EveryOne_NeedsAFunctionKey()
    {
        var coordinator = HttpTriggers().Where(t => t.Route == "rounds" || t.Route.StartsWith("rounds/", StringComparison.Ordinal)).ToList();

        Assert.Equal(11, coordinator.Count);
        Assert.All(coordinator, t => Assert.True(t.Level == AuthorizationLevel.Function, $"{t.Function} ({t.Route}) is {t.Level}."));
    }

    [Fact]
    public void AnonymousRoutes_OnlyThoseWhoseCallerProvesItselfInTheRequest()
    {
        var triggers = HttpTriggers();
        var anonymous = triggers.Where(t => t.Level == AuthorizationLevel.Anonymous).Select(t => t.Route).Distinct().ToList();

        Assert.Subset(Anonymous.ToHashSet(), anonymous.Where(route => !IsConsole(route)).ToHashSet());
        Assert.Contains("console/sign-in", anonymous);
        Assert.Contains("reply/{token}", anonymous);
        Assert.Contains("health", anonymous);
        Assert.All(triggers.Where(t => IsConsole(t.Route)), t => Assert.True(
            t.Level == AuthorizationLevel.Anonymous, $"{t.Function} ({t.Route}) is {t.Level}: sign-in protects the console, not a key."));
        Assert.All(triggers.Where(t => !Anonymous.Contains(t.Route) && !IsConsole(t.Route)), t => Assert.True(
            t.Level is AuthorizationLevel.Function or AuthorizationLevel.Admin, $"{t.Function} ({t.Route}) is {t.Level}."));
    }

    static bool IsConsole(string route) => route == "console" || route.StartsWith("console/", StringComparison.Ordinal);
}
