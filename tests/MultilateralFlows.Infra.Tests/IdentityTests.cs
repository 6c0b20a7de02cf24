using System.Text.Json.Nodes;

namespace MultilateralFlows.Infra.Tests;

/// <summary>Nothing in the deployment holds a shared key: storage, Key Vault and monitoring are reached by role.</summary>
public sealed class IdentityTests
{
    [Fact]
    public async Task StorageAccounts_SharedKeyAccess_IsOff()
    {
        var accounts = (await CompiledTemplate.MainAsync()).ResourcesOfType("Microsoft.Storage/storageAccounts").ToList();

        Assert.NotEmpty(accounts);
        Assert.All(accounts, a => Assert.False((bool?)a["properties"]?["allowSharedKeyAccess"] ?? true, "allowSharedKeyAccess must be false"));
    }

    [Fact]
    public async Task Template_AccountKeys_AreNeverRead()
    {
        var text = (await CompiledTemplate.MainAsync()).Root.ToJsonString();

        Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User")]
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher")]
    public async Task AppIdentity_Role_IsAssigned(string roleDefinitionId, string role)
    {
        var template = await CompiledTemplate.MainAsync();

        Assert.True(template.Root.ToJsonString().Contains(roleDefinitionId, StringComparison.Ordinal), $"No role assignment for {role}.");
        Assert.All(template.ResourcesOfType("Microsoft.Authorization/roleAssignments"), r => Assert.StartsWith("[guid(", (string?)r["name"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeyVault_AccessModel_IsRbac()
    {
        var vaults = (await CompiledTemplate.MainAsync()).ResourcesOfType("Microsoft.KeyVault/vaults").ToList();

        var vault = Assert.Single(vaults);
        Assert.True((bool?)vault["properties"]?["enableRbacAuthorization"]);
    }

    [Fact]
    public async Task FunctionApp_Hosting_IsFlexConsumptionDotnetIsolated10WithUserAssignedIdentity()
    {
        var template = await CompiledTemplate.MainAsync();
        var plan = Assert.Single(template.ResourcesOfType("Microsoft.Web/serverfarms"));
        var site = Assert.Single(template.ResourcesOfType("Microsoft.Web/sites"));
        var config = site["properties"]!["functionAppConfig"]!;

        Assert.Equal(("FC1", "FlexConsumption"), ((string?)plan["sku"]?["name"], (string?)plan["sku"]?["tier"]));
        Assert.Equal(("dotnet-isolated", "10.0"), ((string?)config["runtime"]?["name"], (string?)config["runtime"]?["version"]));
        Assert.Equal("UserAssigned", (string?)site["identity"]?["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]?["storage"]?["authentication"]?["type"]);
        Assert.NotNull((string?)site["properties"]?["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public async Task FunctionApp_Settings_NeverCarryPlainSecrets()
    {
        var deployed = (await CompiledTemplate.MainAsync()).FunctionAppSettings();

        // Settings that hold a credential in Azure must come from Key Vault; the App Insights connection string is an
        // identifier only, because local authentication is off on the component, and a public key is public.
        Assert.All(
            deployed.Where(p => (p.Key.EndsWith("Key", StringComparison.OrdinalIgnoreCase) && !p.Key.EndsWith("PublicKey", StringComparison.OrdinalIgnoreCase))
                || p.Key.Contains("Secret", StringComparison.OrdinalIgnoreCase)),
            p => Assert.Contains("@Microsoft.KeyVault(", p.Value, StringComparison.Ordinal));
        var insights = Assert.Single((await CompiledTemplate.MainAsync()).ResourcesOfType("Microsoft.Insights/components"));
        Assert.True((bool?)insights["properties"]?["DisableLocalAuth"]);
        Assert.Contains("Authorization=AAD", deployed["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntraSignIn_ExcludedPaths_AreTheRoutesWhoseCallersProveThemselvesInTheRequest()
    {
        var template = await CompiledTemplate.MainAsync();
        var auth = template.ResourcesOfType("Microsoft.Web/sites/config")
            .Single(r => ((string?)r["name"])?.Contains("authsettingsV2", StringComparison.OrdinalIgnoreCase) == true);

        // The properties are conditional (on for a client id, off without): the excluded paths are in the template's text.
        var text = auth["properties"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.All(
            new[] { "/api/reply/*", "/api/health", "/api/email/events", "/api/openapi.json" },
            path => Assert.Contains($"'{path}'", text, StringComparison.Ordinal));
        Assert.DoesNotContain("/api/rounds", text, StringComparison.Ordinal);
    }
}
