using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace MultilateralFlows.Storage;

/// <summary>
/// Builds the storage clients from the same <c>AzureWebJobsStorage</c> setting the Functions host uses:
/// a connection string locally (<c>UseDevelopmentStorage=true</c> or Azurite's), identity-based
/// <c>AzureWebJobsStorage__blobServiceUri</c>/<c>__tableServiceUri</c>/<c>__credential</c>/<c>__clientId</c> in Azure.
/// </summary>
public static class StorageConnection
{
    public const string SettingName = "AzureWebJobsStorage";

    public static (TableServiceClient Tables, BlobServiceClient Blobs) CreateClients(IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingName);
        var connectionString = section.Value;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return (new TableServiceClient(connectionString), new BlobServiceClient(connectionString));
        }

        var credential = CreateCredential(section);
        var accountName = section["accountName"];
        var blobUri = section["blobServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.blob.core.windows.net");
        var tableUri = section["tableServiceUri"] ?? (accountName is null ? null : $"https://{accountName}.table.core.windows.net");
        if (blobUri is null || tableUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {SettingName} to a connection string, or {SettingName}__blobServiceUri and "
                + $"{SettingName}__tableServiceUri (or {SettingName}__accountName) for identity-based access.");
        }

        return (new TableServiceClient(new Uri(tableUri), credential), new BlobServiceClient(new Uri(blobUri), credential));
    }

    static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        var useManagedIdentity = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase);
        if (useManagedIdentity || !string.IsNullOrWhiteSpace(clientId))
        {
            return string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new DefaultAzureCredential();
    }
}
