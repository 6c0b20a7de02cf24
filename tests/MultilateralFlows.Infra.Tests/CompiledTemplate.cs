using System.Text.Json.Nodes;

namespace MultilateralFlows.Infra.Tests;

/// <summary>
/// infra/main.bicep compiled to an ARM template once per test run: its parameters, outputs, every resource (modules
/// become nested deployments with their templates inline) and the Functions app's app settings.
/// </summary>
public sealed class CompiledTemplate
{
    static readonly Lazy<Task<CompiledTemplate>> Main = new(() => CompileAsync("infra/main.bicep"));

    CompiledTemplate(JsonObject root)
    {
        Root = root;
    }

    public JsonObject Root { get; }

    public JsonObject Parameters => Root["parameters"]?.AsObject() ?? [];

    public JsonObject Outputs => Root["outputs"]?.AsObject() ?? [];

    public static Task<CompiledTemplate> MainAsync() => Main.Value;

    /// <summary>Every resource in the template and in the templates of its nested deployments.</summary>
    public IEnumerable<JsonObject> Resources() => ResourcesOf(Root);

    public IEnumerable<JsonObject> ResourcesOfType(string type) =>
        Resources().Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The Functions app's settings, name to value (an ARM expression or a literal): the properties of every
    /// <c>Microsoft.Web/sites/config</c> named appsettings, plus any <c>siteConfig.appSettings</c> on a site. Setting
    /// names are compared as configuration compares them, ignoring case.
    /// </summary>
    public IReadOnlyDictionary<string, string> FunctionAppSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var config in ResourcesOfType("Microsoft.Web/sites/config").Where(r => ((string?)r["name"])?.Contains("appsettings", StringComparison.OrdinalIgnoreCase) == true))
        {
            if (config["properties"] is not JsonObject properties)
            {
                throw new InvalidOperationException("The appsettings resource's properties must be a literal object, so the setting names can be checked; build optional settings with conditional values instead of union().");
            }

            foreach (var (name, value) in properties)
            {
                settings[name] = value?.ToString() ?? "";
            }
        }

        foreach (var site in ResourcesOfType("Microsoft.Web/sites"))
        {
            if (site["properties"] is JsonObject properties && properties["siteConfig"] is JsonObject siteConfig && siteConfig["appSettings"] is JsonArray pairs)
            {
                foreach (var pair in pairs.OfType<JsonObject>())
                {
                    settings[(string)pair["name"]!] = pair["value"]?.ToString() ?? "";
                }
            }
        }

        return settings;
    }

    static IEnumerable<JsonObject> ResourcesOf(JsonObject template)
    {
        // Templates with symbolic names keep resources in an object, the others in an array.
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject map => map.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"] is JsonObject properties && properties["template"] is JsonObject nested)
            {
                foreach (var inner in ResourcesOf(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    static async Task<CompiledTemplate> CompileAsync(string bicepFile)
    {
        var output = Path.Combine(Path.GetTempPath(), "multilateralflows-tests", $"bicep-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        try
        {
            var run = await BicepCli.RunAsync("build", bicepFile, "--outfile", output, "--no-restore");
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"bicep build {bicepFile} failed ({run.ExitCode}):\n{run.StandardOutput}\n{run.StandardError}");
            }

            return new CompiledTemplate(JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsObject());
        }
        finally
        {
            File.Delete(output);
        }
    }
}
