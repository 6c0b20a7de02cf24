using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MultilateralFlows.Hosting;

namespace MultilateralFlows.Infra.Tests;

/// <summary>
/// Configuration cannot drift between the code, the deployment and the documentation. The rule, for every setting
/// the Functions app binds at start-up (see <see cref="BoundSettings"/> for how they are found):
/// <list type="number">
/// <item>[Required] settings are set by the Bicep app settings (a local default such as a relative mail folder path is not
/// a deployment decision) and by local.settings.sample.json, so neither `azd up` nor `npm start` starts an app that
/// fails validation;</item>
/// <item>every other setting is either set by the Bicep app settings or documented as optional (the word "optional" in
/// its row) in README.md's Settings table;</item>
/// <item>every setting has a row in that table;</item>
/// <item>secrets (…Key, …Secret, …Password, …Token, …ConnectionString) set by Bicep are Key Vault references;</item>
/// <item>every Bicep app setting under an options section names a property that exists, so renames are caught.</item>
/// </list>
/// Settings of the local host (LocalHost__*) are not Functions app settings and are not looked at.
/// </summary>
public sealed class AppSettingsDriftTests
{
    static readonly IReadOnlyList<BoundSetting> Bound = BoundSettings.All();

    [Fact]
    public void BoundSettings_All_FindTheWorkflowOptionsAndNotTheLocalHosts()
    {
        var names = Bound.Select(s => s.Name).ToList();

        Assert.Contains("Links__PublicBaseUrl", names);
        Assert.Contains("SendGrid__ApiKey", names);
        Assert.Contains("MailFolder__Path", names);
        Assert.DoesNotContain(names, n => n.StartsWith("LocalHost__", StringComparison.Ordinal));
    }

    [Fact]
    public void BoundSettings_DiscoveredOptions_IncludeEveryOptionsTypeTheWorkflowBinds()
    {
        var services = new ServiceCollection();
        services.AddMultilateralFlows(new ConfigurationBuilder().Build());

        // BindConfiguration registers a change-token source per options type bound to configuration.
        var bound = services
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(t => t.GetGenericArguments()[0])
            .Distinct()
            .ToList();

        Assert.NotEmpty(bound);
        var discovered = BoundSettings.OptionsTypes();
        var withoutSectionName = bound.Where(t => !discovered.Contains(t)).Select(t => t.FullName).ToList();
        Assert.True(withoutSectionName.Count == 0, $"Options bound from configuration without a 'public const string SectionName' (the drift check cannot see them): {string.Join(", ", withoutSectionName)}");
    }

    [Fact]
    public void BoundSettings_DerivedNames_AreTheNamesTheAppReads()
    {
        // Give every derived name a value, as environment variables would (Section__Property becomes Section:Property),
        // bind the options the way the app does, and check each property got its value.
        var values = Bound.Where(s => SampleValue(s.Property.PropertyType) is not null)
            .ToDictionary(s => s.Name, s => SampleValue(s.Property.PropertyType));
        Assert.NotEmpty(values);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)))
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddMultilateralFlows(configuration);
        using var provider = services.BuildServiceProvider();

        var unbound = new List<string>();
        foreach (var type in BoundSettings.OptionsTypes().Where(t => t.Assembly == typeof(WorkflowServices).Assembly))
        {
            var options = Activator.CreateInstance(type)!;
            var configureType = typeof(IConfigureOptions<>).MakeGenericType(type);
            foreach (var configure in provider.GetServices(configureType))
            {
                configureType.GetMethod(nameof(IConfigureOptions<object>.Configure))!.Invoke(configure, [options]);
            }

            foreach (var setting in Bound.Where(s => s.Property.DeclaringType == type && values.ContainsKey(s.Name)))
            {
                var actual = Convert.ToString(setting.Property.GetValue(options), CultureInfo.InvariantCulture);
                if (!string.Equals(actual, values[setting.Name], StringComparison.OrdinalIgnoreCase))
                {
                    unbound.Add($"{setting.Name} (got '{actual}')");
                }
            }
        }

        Assert.True(unbound.Count == 0, $"These settings do not reach their options property (is the class bound with BindConfiguration(SectionName) in AddMultilateralFlows?): {string.Join(", ", unbound)}");
    }

    [Fact]
    public async Task RequiredSettings_AreSetByBicep()
    {
        var deployed = (await CompiledTemplate.MainAsync()).FunctionAppSettings();

        var missing = Bound.Where(s => s.IsRequired && (!deployed.TryGetValue(s.Name, out var value) || string.IsNullOrWhiteSpace(value))).ToList();

        Assert.True(missing.Count == 0, $"[Required] settings the Bicep app settings (infra/app/api.bicep) do not set: {string.Join(", ", missing)}");
    }

    [Fact]
    public void RequiredSettings_AreInLocalSettingsSample()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "local.settings.sample.json")))!["Values"]!.AsObject();
        var names = sample.Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = Bound.Where(s => s.IsRequired && !names.Contains(s.Name)).ToList();

        Assert.True(missing.Count == 0, $"[Required] settings missing from local.settings.sample.json: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task OptionalSettings_AreSetByBicepOrDocumentedAsOptional()
    {
        var deployed = (await CompiledTemplate.MainAsync()).FunctionAppSettings();
        var readme = ReadmeSettings.Rows();

        var undecided = Bound
            .Where(s => !s.IsRequired && !deployed.ContainsKey(s.Name) && readme.RowFor(s.Name) is not { SaysOptional: true })
            .ToList();

        Assert.True(undecided.Count == 0, $"Settings neither set by the Bicep app settings nor documented as optional in README.md's Settings table: {string.Join(", ", undecided)}");
    }

    [Fact]
    public void BoundSettings_AreDocumentedInReadme()
    {
        var readme = ReadmeSettings.Rows();

        var undocumented = Bound.Where(s => readme.RowFor(s.Name) is null).ToList();

        Assert.True(undocumented.Count == 0, $"Settings without a row in README.md's Settings table: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public async Task SecretSettings_SetByBicep_AreKeyVaultReferences()
    {
        var deployed = (await CompiledTemplate.MainAsync()).FunctionAppSettings();
        Assert.Contains(Bound, s => s.IsSecret);

        var plain = Bound
            .Where(s => s.IsSecret && deployed.TryGetValue(s.Name, out var value) && !value.Contains("@Microsoft.KeyVault(", StringComparison.Ordinal))
            .ToList();

        Assert.True(plain.Count == 0, $"Secrets set by Bicep without a Key Vault reference: {string.Join(", ", plain)}");
    }

    [Fact]
    public async Task BicepSettings_UnderAnOptionsSection_NameABoundProperty()
    {
        var deployed = (await CompiledTemplate.MainAsync()).FunctionAppSettings();
        var sections = Bound.Select(s => s.Section).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = Bound.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var stale = deployed.Keys
            .Where(k => sections.Contains(k.Split("__")[0]) && !names.Contains(k) && !names.Any(n => k.StartsWith(n + "__", StringComparison.OrdinalIgnoreCase)))
            .ToList();

        Assert.True(stale.Count == 0, $"Bicep app settings that no options property binds (renamed or removed?): {string.Join(", ", stale)}");
    }

    static string? SampleValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? "sample-value"
            : type == typeof(bool) ? "True"
            : type == typeof(int) || type == typeof(long) ? "7"
            : type.IsEnum ? Enum.GetNames(type).Last()
            : null;
    }
}
