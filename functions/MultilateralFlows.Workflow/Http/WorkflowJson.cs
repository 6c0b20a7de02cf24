using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultilateralFlows.Http;

/// <summary>The JSON shape of everything MultilateralFlows writes: camelCase, enums by name, no nulls.</summary>
public static class WorkflowJson
{
    /// <summary>Deeper documents are refused as bad input rather than parsed.</summary>
    public const int MaxDepth = 16;

    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            MaxDepth = MaxDepth,
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
