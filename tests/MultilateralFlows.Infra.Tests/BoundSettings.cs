using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using MultilateralFlows.Functions.Health;
using MultilateralFlows.Replies;

namespace MultilateralFlows.Infra.Tests;

/// <summary>One setting the Functions app binds at start-up, e.g. <c>Links__PublicBaseUrl</c>.</summary>
public sealed record BoundSetting(string Name, string Section, PropertyInfo Property)
{
    static readonly string[] SecretSuffixes = ["Key", "Secret", "Password", "Token", "ConnectionString"];

    /// <summary>[Required] on the property: the app does not start without a value.</summary>
    public bool IsRequired => Property.IsDefined(typeof(RequiredAttribute));

    /// <summary>
    /// By name (…Key, …Secret, …Password, …Token, …ConnectionString): its value belongs in Key Vault. A …PublicKey is
    /// the opposite of a secret (SendGrid publishes the webhook verification key) and may be a plain setting.
    /// </summary>
    public bool IsSecret =>
        SecretSuffixes.Any(suffix => Property.Name.EndsWith(suffix, StringComparison.Ordinal))
        && !Property.Name.EndsWith("PublicKey", StringComparison.Ordinal);

    public override string ToString() => Name;
}

/// <summary>
/// The settings the Functions app binds, found by convention rather than listed by hand, so an options class added
/// later is checked without touching the tests: every type in the Functions app's own assemblies (the workflow library
/// and the Functions project; not the local host) with a <c>public const string SectionName</c> is an options class,
/// and each of its public settable properties is a setting named <c>{SectionName}__{Property}</c> (nested option
/// objects continue the path: <c>{SectionName}__{Property}__{Inner}</c>).
/// </summary>
public static class BoundSettings
{
    public static IReadOnlyList<Assembly> FunctionsAppAssemblies { get; } =
        [typeof(LinkOptions).Assembly, typeof(HealthFunction).Assembly];

    public static IReadOnlyList<Type> OptionsTypes() =>
        FunctionsAppAssemblies.SelectMany(LoadableTypes).Where(t => SectionNameOf(t) is not null).Distinct().ToList();

    public static IReadOnlyList<BoundSetting> All() =>
        OptionsTypes().SelectMany(t => SettingsOf(t, SectionNameOf(t)!.Replace(":", "__", StringComparison.Ordinal))).ToList();

    public static string? SectionNameOf(Type type) =>
        type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.FieldType == typeof(string)
            ? (string?)field.GetRawConstantValue()
            : null;

    static IEnumerable<BoundSetting> SettingsOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = $"{prefix}__{property.Name}";
            if (IsNestedOptions(property.PropertyType))
            {
                foreach (var inner in SettingsOf(property.PropertyType, name))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return new BoundSetting(name, prefix.Split("__")[0], property);
            }
        }
    }

    /// <summary>A class the binder fills property by property; strings and collections are bound as values.</summary>
    static bool IsNestedOptions(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null;

    static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
