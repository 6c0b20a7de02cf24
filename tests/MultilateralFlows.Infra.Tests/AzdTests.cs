using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MultilateralFlows.Infra.Tests;

/// <summary>`azd up` works from a clone: azure.yaml, main.parameters.json and main.bicep agree with each other.</summary>
public sealed partial class AzdTests
{
    static string Root => Testing.RepositoryPaths.Root;

    [Fact]
    public async Task Outputs_Names_AreUpperSnakeCase()
    {
        var outputs = (await CompiledTemplate.MainAsync()).Outputs.Select(p => p.Key).ToList();

        Assert.NotEmpty(outputs);
        Assert.All(outputs, name => Assert.Matches(UpperSnake(), name));
        Assert.Contains("SERVICE_API_NAME", outputs);
    }

    [Fact]
    public async Task ParametersFile_Parameters_ExistInMainBicep()
    {
        var template = await CompiledTemplate.MainAsync();

        var unknown = ParametersFile().Select(p => p.Key).Where(name => !template.Parameters.ContainsKey(name)).ToList();

        Assert.True(unknown.Count == 0, $"main.parameters.json sets parameters main.bicep does not declare: {string.Join(", ", unknown)}");
    }

    [Fact]
    public async Task MainBicep_ParametersWithoutDefault_AreSuppliedByAzd()
    {
        var template = await CompiledTemplate.MainAsync();
        var mapped = ParametersFile().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        var unsupplied = template.Parameters
            .Where(p => p.Value?["defaultValue"] is null)
            .Where(p => !mapped.Contains(p.Key) && (string?)p.Value?["metadata"]?["azd"]?["type"] != "generate")
            .Select(p => p.Key)
            .ToList();

        Assert.True(unsupplied.Count == 0, $"Parameters azd would have to prompt for every time: {string.Join(", ", unsupplied)}");
    }

    [Fact]
    public void AzureYaml_FunctionService_PointsAtTheFunctionsProject()
    {
        var yaml = File.ReadAllText(Path.Combine(Root, "azure.yaml"));

        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", yaml);
        var project = ProjectLine().Match(yaml);
        Assert.True(project.Success, "azure.yaml names no service project.");
        var folder = Path.GetFullPath(Path.Combine(Root, project.Groups[1].Value));
        var csproj = Assert.Single(Directory.GetFiles(folder, "*.csproj"));
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", File.ReadAllText(csproj), StringComparison.Ordinal);
    }

    static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "infra", "main.parameters.json")))!["parameters"]!.AsObject();

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnake();

    [GeneratedRegex(@"(?m)^\s+project:\s*(\S+)\s*$")]
    private static partial Regex ProjectLine();
}
