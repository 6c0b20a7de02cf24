using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Infra.Tests;

/// <summary>
/// The app reaches storage through <c>AzureWebJobsStorage</c> everywhere: a connection string locally
/// (<c>UseDevelopmentStorage=true</c>), the identity-based <c>AzureWebJobsStorage__*</c> settings in Azure, with no code
/// change between them. The Functions host, the Durable Task hub and <see cref="StorageConnection"/> read the same names.
/// </summary>
public sealed class StorageSettingsTests
{
    const string Prefix = StorageConnection.SettingName + "__";

    [Fact]
    public async Task BicepSettings_Storage_AreIdentityBasedWithTheAppsIdentity()
    {
        var deployed = (await CompiledTemplate.MainAsync()).FunctionAppSettings();

        Assert.False(deployed.ContainsKey(StorageConnection.SettingName), "AzureWebJobsStorage as a connection string would need an account key.");
        // Blob for the host and the positions, queues for the Durable Task hub, tables for the hub and the workflow.
        foreach (var service in new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri", "clientId" })
        {
            Assert.True(deployed.ContainsKey(Prefix + service), $"Bicep does not set {Prefix}{service}.");
        }

        Assert.Equal("managedidentity", deployed[Prefix + "credential"]);
    }

    [Fact]
    public async Task CreateClients_DeployedSettingNames_UseTheServiceUris()
    {
        var deployed = (await CompiledTemplate.MainAsync()).FunctionAppSettings();
        var values = new Dictionary<string, string>
        {
            ["blobServiceUri"] = "https://stexample.blob.core.windows.net/",
            ["queueServiceUri"] = "https://stexample.queue.core.windows.net/",
            ["tableServiceUri"] = "https://stexample.table.core.windows.net/",
            ["credential"] = "managedidentity",
            ["clientId"] = "00000000-0000-0000-0000-000000000001",
        };
        // Exactly the names Bicep deploys, as the environment variables provider presents them ('__' becomes ':').
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(deployed.Keys
                .Where(k => k.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                .Select(k => KeyValuePair.Create<string, string?>(k.Replace("__", ":", StringComparison.Ordinal), values[k[Prefix.Length..]])))
            .Build();

        var (tables, blobs) = StorageConnection.CreateClients(configuration);

        Assert.Equal(new Uri(values["tableServiceUri"]), tables.Uri);
        Assert.Equal(new Uri(values["blobServiceUri"]), blobs.Uri);
    }

    [Fact]
    public void CreateClients_LocalSettingsSample_UsesDevelopmentStorage()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "local.settings.sample.json")))!["Values"]!;
        var connection = (string?)sample[StorageConnection.SettingName];
        Assert.Equal("UseDevelopmentStorage=true", connection);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create(StorageConnection.SettingName, connection)])
            .Build();

        var (tables, blobs) = StorageConnection.CreateClients(configuration);

        Assert.Equal("devstoreaccount1", tables.AccountName);
        Assert.Equal("devstoreaccount1", blobs.AccountName);
    }
}
