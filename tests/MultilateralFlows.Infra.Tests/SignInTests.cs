using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultilateralFlows.Infra.Tests;

/// <summary>
/// Sign-in in Azure: App Service Authentication with Entra ID sends a browser without a session to sign in and keeps
/// the routes whose callers prove themselves in the request open; and the deployment can never turn on the console's
/// development sign-in, whatever parameters it is given.
/// </summary>
public sealed class SignInTests
{
    static async Task<string> AuthSettingsTextAsync()
    {
        var auth = (await CompiledTemplate.MainAsync()).ResourcesOfType("Microsoft.Web/sites/config")
            .Single(r => ((string?)r["name"])?.Contains("authsettingsV2", StringComparison.OrdinalIgnoreCase) == true);

        // Conditional on authClientId (on for a client id, off without): the settings are in the expression's text.
        return auth["properties"]!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    [Fact]
    public async Task EntraSignIn_BrowsersWithoutASession_AreSentToTheEntraSignIn()
    {
        var text = await AuthSettingsTextAsync();

        Assert.Contains("'RedirectToLoginPage'", text, StringComparison.Ordinal);
        Assert.Contains("'azureactivedirectory'", text, StringComparison.Ordinal);
        Assert.Contains("requireAuthentication', true()", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/console", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentSignIn_NoAppSettingOfTheDeployment_CanTurnItOn()
    {
        var settings = (await CompiledTemplate.MainAsync()).FunctionAppSettings();

        // Names as configuration reads them: Console__DevelopmentSignIn, Console:DevelopmentSignIn, any case.
        Assert.DoesNotContain(settings.Keys, name =>
            name.Replace(":", "__", StringComparison.Ordinal).Contains("DevelopmentSignIn", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Console__", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AppSettings_Names_AreLiteralsNoParameterCanAddTo()
    {
        var template = await CompiledTemplate.MainAsync();

        // FunctionAppSettings() refuses an appsettings resource whose properties are an expression (union(), a parameter);
        // here each name is a literal too, and no site takes settings from elsewhere (siteConfig.appSettings).
        var settings = template.FunctionAppSettings();
        Assert.NotEmpty(settings);
        Assert.All(settings.Keys, name => Assert.False(name.StartsWith('['), $"App setting name '{name}' is an expression."));
        Assert.All(template.ResourcesOfType("Microsoft.Web/sites"), site =>
            Assert.Null(site["properties"]?["siteConfig"]?["appSettings"]));
        Assert.All(
            template.ResourcesOfType("Microsoft.Web/sites/config").Where(r => ((string?)r["name"])?.Contains("appsettings", StringComparison.OrdinalIgnoreCase) == true),
            config => Assert.IsType<JsonObject>(config["properties"]));
    }

    [Fact]
    public async Task Parameters_NoneCouldCarryAppSettings()
    {
        var parameters = (await CompiledTemplate.MainAsync()).Parameters;

        // Only scalar parameters: a deployer can give values, never a map of settings for the app to take in.
        Assert.All(parameters, p => Assert.Contains(
            ((string?)p.Value!["type"])?.ToLowerInvariant(), new[] { "string", "securestring", "int", "bool" }));
    }

    [Fact]
    public async Task AppSettingsResource_NoOtherAppSettingsResourceOrSlot()
    {
        var template = await CompiledTemplate.MainAsync();

        Assert.Single(template.ResourcesOfType("Microsoft.Web/sites/config"), r => ((string?)r["name"])?.Contains("appsettings", StringComparison.OrdinalIgnoreCase) == true);
        Assert.Empty(template.ResourcesOfType("Microsoft.Web/sites/slots"));
        Assert.Empty(template.ResourcesOfType("Microsoft.Web/sites/slots/config"));
    }
}
