using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MultilateralFlows.Http;

/// <summary>The console's settings (<c>Console__DevelopmentSignIn</c>).</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>
    /// The development sign-in: a form that signs anyone in as a coordinator under the address they type. Only for a
    /// machine of one's own; the app refuses to start with it in App Service (<see cref="ConsoleOptionsValidator"/>).
    /// </summary>
    public bool DevelopmentSignIn { get; set; }
}

/// <summary>
/// What the platform says about where the app runs, from the variables App Service sets itself:
/// <c>WEBSITE_AUTH_ENABLED</c> (<c>True</c> when App Service Authentication is on: only then are the
/// <c>X-MS-CLIENT-PRINCIPAL*</c> headers the platform's, since it strips them from incoming requests), and
/// <c>WEBSITE_INSTANCE_ID</c> or <c>WEBSITE_SITE_NAME</c> (set on every App Service and Functions instance in Azure).
/// </summary>
public sealed record PlatformEnvironment(bool AuthenticationEnabled, bool InAppService)
{
    public const string AuthEnabledVariable = "WEBSITE_AUTH_ENABLED";
    public static readonly string[] AppServiceVariables = ["WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME"];

    public static PlatformEnvironment From(IConfiguration configuration) => new(
        string.Equals(configuration[AuthEnabledVariable]?.Trim(), "true", StringComparison.OrdinalIgnoreCase),
        AppServiceVariables.Any(name => !string.IsNullOrWhiteSpace(configuration[name])));
}

/// <summary>
/// The development sign-in can never be on in Azure: the app does not start when it is set and the process runs in App
/// Service, or behind the platform's authentication (whose principal it would otherwise compete with).
/// </summary>
public sealed class ConsoleOptionsValidator(PlatformEnvironment platform) : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options)
    {
        if (!options.DevelopmentSignIn)
        {
            return ValidateOptionsResult.Success;
        }

        if (platform.InAppService)
        {
            return ValidateOptionsResult.Fail(
                $"Console__DevelopmentSignIn is on, but this process runs in App Service ({string.Join(" or ", PlatformEnvironment.AppServiceVariables)} "
                + "is set): the development sign-in lets anyone in as a coordinator. Remove the setting; in Azure, coordinators sign in with Entra ID.");
        }

        if (platform.AuthenticationEnabled)
        {
            return ValidateOptionsResult.Fail(
                $"Console__DevelopmentSignIn is on, but the platform's authentication is too ({PlatformEnvironment.AuthEnabledVariable}): remove the setting.");
        }

        return ValidateOptionsResult.Success;
    }
}
