using System.Text.Json;

namespace MultilateralFlows.LocalHost;

/// <summary>
/// The settings the local host runs with, in the order the Functions host applies them: host.json (under
/// <c>AzureFunctionsJobHost:</c>), then local.settings.json <c>Values</c>, then environment variables, then the
/// command line. So <c>AzureFunctionsJobHost__extensions__durableTask__hubName=x</c> overrides host.json here as in Azure.
/// </summary>
public static class LocalConfiguration
{
    public const string HostJsonPrefix = "AzureFunctionsJobHost";

    public static IConfigurationRoot Build(string[] args, string contentRoot)
    {
        var commandLine = new ConfigurationBuilder().AddCommandLine(args).Build();
        var settingsPath = commandLine["settings"]
            ?? Environment.GetEnvironmentVariable("LOCAL_SETTINGS_PATH")
            ?? Path.Combine(contentRoot, "local.settings.json");
        var hostJsonPath = commandLine["host-json"] ?? Path.Combine(AppContext.BaseDirectory, "host.json");

        return new ConfigurationBuilder()
            .AddInMemoryCollection(Defaults)
            .AddInMemoryCollection(ReadHostJson(hostJsonPath))
            .AddInMemoryCollection(ReadLocalSettingsValues(settingsPath))
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }

    /// <summary>
    /// What the local host assumes unless told otherwise: it runs on a developer's machine (never in App Service), so the
    /// console's development sign-in is on, and `npm start` gives a console one can sign in to.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["Console:DevelopmentSignIn"] = "true",
    };

    static IEnumerable<KeyValuePair<string, string?>> ReadHostJson(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"host.json not found at {path}; it is copied next to the local host when it is built.", path);
        }

        var hostJson = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        return hostJson.AsEnumerable().Where(p => p.Value is not null).Select(p => KeyValuePair.Create($"{HostJsonPrefix}:{p.Key}", p.Value));
    }

    /// <summary>local.settings.json keeps settings as environment-style names (<c>Links__PublicBaseUrl</c>); '__' is a section separator.</summary>
    static IEnumerable<KeyValuePair<string, string?>> ReadLocalSettingsValues(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(
            File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return values.EnumerateObject()
            .Select(p => KeyValuePair.Create(
                p.Name.Replace("__", ":", StringComparison.Ordinal),
                p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()))
            .ToList();
    }
}
