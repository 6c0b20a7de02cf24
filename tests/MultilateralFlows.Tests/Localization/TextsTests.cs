using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using MultilateralFlows.Email;
using MultilateralFlows.Localization;
using MultilateralFlows.Replies;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Localization;

/// <summary>
/// The resources are the translation: every text in every language, with the same values to fill in, and built into
/// satellite assemblies that both hosts carry. A missing translation would otherwise fall back to English unnoticed.
/// </summary>
public sealed partial class TextsTests
{
    static readonly string[] Translated = ["nl", "fr", "de"];

    public static TheoryData<string> Languages => ["nl", "fr", "de", "en"];

    /// <summary>The console speaks the coordinators' languages: German is not required of its texts (ConsoleTexts.resx).</summary>
    public static TheoryData<string> ConsoleLanguages => ["nl", "fr", "en"];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Resources_Language_HasEveryKeyNonEmpty(string language)
    {
        HasEveryKeyNonEmpty(Texts.Resources, language);
    }

    [Theory]
    [MemberData(nameof(ConsoleLanguages))]
    public void ConsoleResources_Language_HasEveryKeyNonEmpty(string language) => HasEveryKeyNonEmpty(ConsoleTexts.Resources, language);

    static void HasEveryKeyNonEmpty(ResourceManager resources, string language)
    {
        var neutral = Entries(resources, CultureInfo.InvariantCulture);
        // Without parents: a translation missing from its satellite assembly (or a missing satellite) is not filled in from English.
        var own = Entries(resources, CultureInfo.GetCultureInfo(language));

        Assert.Equal(neutral.Keys.Order(StringComparer.Ordinal), own.Keys.Order(StringComparer.Ordinal));
        Assert.All(own, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Value), $"{language}: {entry.Key} is empty"));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Resources_Language_FormatsTakeTheNeutralArguments(string language) => FormatsTakeTheNeutralArguments(Texts.Resources, language);

    [Theory]
    [MemberData(nameof(ConsoleLanguages))]
    public void ConsoleResources_Language_FormatsTakeTheNeutralArguments(string language) =>
        FormatsTakeTheNeutralArguments(ConsoleTexts.Resources, language);

    [Fact]
    public void ConsoleTexts_EveryPhaseProcedureKindAndCompetence_AWordInEveryLanguage()
    {
        Assert.Equal(["nl", "fr", "en"], ConsoleTexts.All.Select(t => t.Language));
        Assert.All(ConsoleTexts.All, texts =>
        {
            var words = Enum.GetValues<MultilateralFlows.Rounds.RoundPhase>().Select(texts.Phase)
                .Concat(Enum.GetValues<MultilateralFlows.Rounds.Procedure>().Select(texts.Procedure))
                .Concat(Enum.GetValues<MultilateralFlows.Rounds.MeetingKind>().Select(texts.Kind))
                .Concat(Enum.GetValues<MultilateralFlows.Rounds.Competence>().Select(texts.Competence));
            Assert.All(words, word => Assert.False(string.IsNullOrWhiteSpace(word)));
        });
        Assert.Equal("Antwoorden verzamelen", ConsoleTexts.For("nl").Phase(MultilateralFlows.Rounds.RoundPhase.Collecting));
        Assert.Equal("en", ConsoleTexts.For("de").Language);
    }

    static void FormatsTakeTheNeutralArguments(ResourceManager resources, string language)
    {
        var neutral = Entries(resources, CultureInfo.InvariantCulture);
        var own = Entries(resources, CultureInfo.GetCultureInfo(language));

        Assert.All(neutral, entry =>
        {
            var expected = Placeholders(entry.Value);
            var text = own[entry.Key];
            Assert.True(expected.SetEquals(Placeholders(text)), $"{language}: {entry.Key} uses {{{string.Join("}, {", Placeholders(text))}}}");
            var values = Enumerable.Range(0, expected.Count).Select(i => (object)$"v{i}").ToArray();
            _ = string.Format(CultureInfo.InvariantCulture, text, values);
        });
    }

    [Fact]
    public void Texts_DirectoryLanguages_EachHasItsTexts()
    {
        var directory = MultilateralFlows.Participants.Languages.Supported;

        Assert.Equal(directory.Order(StringComparer.Ordinal), Texts.All.Select(t => t.Language).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("fr-BE")]
    [InlineData("es")]
    [InlineData(null)]
    public void For_OtherLanguage_English(string? language)
    {
        Assert.Equal("en", Texts.For(language).Language);
        Assert.Equal("Dear colleagues,", EmailTexts.For(language).Greeting);
    }

    [Fact]
    public void Facades_EveryMemberInEveryLanguage_ReadsATextTheResourcesHave()
    {
        foreach (var texts in Texts.All)
        {
            foreach (var facade in new object[] { new EmailTexts(texts), new ReplyPageTexts(texts) })
            {
                // A key the resources lack throws here, naming it.
                var read = Read(facade).ToList();

                Assert.NotEmpty(read);
                Assert.All(read, r =>
                    Assert.False(string.IsNullOrWhiteSpace(r.Text), $"{texts.Language}: {facade.GetType().Name}.{r.Member} is empty"));
            }
        }
    }

    [Theory]
    [InlineData("MultilateralFlows.Functions")]
    [InlineData("MultilateralFlows.LocalHost")]
    public void SatelliteAssemblies_HostBuildOutput_OnePerTranslatedLanguage(string host)
    {
        var output = Path.Combine(RepositoryPaths.Root, "functions", host, "bin", RepositoryPaths.Configuration, "net10.0");

        Assert.All(Translated, language => Assert.True(
            File.Exists(Path.Combine(output, language, "MultilateralFlows.Workflow.resources.dll")),
            $"{host}: no {language} satellite in {output}"));
    }

    static Dictionary<string, string> Entries(ResourceManager resources, CultureInfo culture)
    {
        var set = resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new MissingManifestResourceException($"No resources for '{culture.Name}'.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    /// <summary>The argument numbers a composite format uses (<c>{{</c> is a brace, not an argument).</summary>
    static HashSet<int> Placeholders(string format) =>
    [
        .. Placeholder().Matches(format.Replace("{{", "", StringComparison.Ordinal))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)),
    ];

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex Placeholder();

    /// <summary>Every public text of a facade: properties, and methods called with sample values (each member of an enum).</summary>
    static IEnumerable<(string Member, string Text)> Read(object facade)
    {
        var properties = facade.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string));
        foreach (var property in properties)
        {
            yield return (property.Name, (string)property.GetValue(facade)!);
        }

        var methods = facade.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(string) && !m.IsSpecialName);
        foreach (var method in methods)
        {
            foreach (var arguments in Samples(method.GetParameters()))
            {
                yield return ($"{method.Name}({string.Join(", ", arguments)})", (string)method.Invoke(facade, arguments)!);
            }
        }
    }

    static IEnumerable<object[]> Samples(ParameterInfo[] parameters)
    {
        IEnumerable<object[]> combinations = [[]];
        foreach (var parameter in parameters)
        {
            object[] values = parameter.ParameterType switch
            {
                { IsEnum: true } type => [.. Enum.GetValues(type).Cast<object>()],
                var type when type == typeof(int) => [2],
                var type when type == typeof(DateTimeOffset) => [new DateTimeOffset(2026, 12, 15, 16, 0, 0, TimeSpan.Zero)],
                var type when type == typeof(string) => ["x"],
                var type => throw new NotSupportedException($"No sample for {type.Name} ({parameter.Name})."),
            };
            combinations = combinations.SelectMany(c => values.Select(v => (object[])[.. c, v])).ToList();
        }

        return combinations;
    }
}
