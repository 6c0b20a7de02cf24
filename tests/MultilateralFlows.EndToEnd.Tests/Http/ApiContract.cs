using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MultilateralFlows.EndToEnd.Tests.Http;

/// <summary>
/// The OpenAPI document a host serves, as a contract to hold its answers to: each answer's status must be declared for
/// its route, its media type declared for that status, and a JSON body must validate against the declared schema
/// (JSON Schema 2020-12, the dialect of OpenAPI 3.1, with JsonSchema.Net; <c>$ref</c>s to the document's components are
/// resolved in the document itself).
/// </summary>
public sealed class ApiContract
{
    static readonly Uri DocumentUri = new("https://multilateralflows.test/openapi.json");

    static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    readonly JsonNode document;
    readonly BuildOptions build;
    readonly Dictionary<string, JsonSchema> schemas = [];

    ApiContract(string json)
    {
        document = JsonNode.Parse(json)!;
        var registry = new SchemaRegistry();
        registry.Register(new JsonElementBaseDocument(JsonDocument.Parse(json).RootElement, DocumentUri));
        build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
    }

    /// <summary>How many answers were checked against a schema (a test that checks none proves nothing).</summary>
    public int ValidatedBodies { get; private set; }

    public static async Task<ApiContract> LoadAsync(HttpClient client) => new(await client.GetStringAsync("/api/openapi.json"));

    /// <summary>
    /// Checks an answer of <paramref name="method"/> on the route <paramref name="template"/> (as in the document, without
    /// <c>/api/</c>) against the document, and that its status is <paramref name="expected"/> where given. Returns the
    /// JSON body, or null for another media type. Disposes the answer.
    /// </summary>
    public async Task<JsonNode?> CheckAsync(HttpResponseMessage response, string method, string template, int? expected = null)
    {
        using var answer = response;
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var what = $"{method} /api/{template} answered {status}";
        Assert.True(expected is null || status == expected, $"{what}, not {expected}: {text}");

        var operation = document["paths"]?[$"/{template}"]?[method.ToLowerInvariant()];
        Assert.True(operation is not null, $"{what}: the document does not describe the route.");
        var declared = Resolve(operation!["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(declared is not null, $"{what}: the document does not declare that status for the route.");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var content = declared!["content"]?[mediaType];
        Assert.True(content is not null, $"{what} as '{mediaType}': the document declares {declared["content"]?.ToJsonString() ?? "no content"}.");
        if (mediaType is not ("application/json" or "application/problem+json"))
        {
            return null;
        }

        var results = SchemaFor(content!["schema"]!).Evaluate(JsonDocument.Parse(text).RootElement, Evaluation);
        Assert.True(results.IsValid, $"{what}: the body does not match the document's schema:\n{Errors(results)}\n{text}");
        ValidatedBodies++;
        return JsonNode.Parse(text);
    }

    /// <summary>A response given by reference (<c>#/components/responses/...</c>) as the response it names.</summary>
    JsonNode? Resolve(JsonNode? response) =>
        response?["$ref"]?.GetValue<string>() is { } reference
            ? reference["#/".Length..].Split('/').Aggregate((JsonNode?)document, (node, segment) => node?[segment])
            : response;

    /// <summary>
    /// The schema of one media type, built once. Its references are made absolute, into the registered document, so
    /// that they and the references of the components they lead to resolve there.
    /// </summary>
    JsonSchema SchemaFor(JsonNode schema)
    {
        var text = schema.ToJsonString().Replace("\"#/components/", $"\"{DocumentUri}#/components/", StringComparison.Ordinal);
        if (!schemas.TryGetValue(text, out var built))
        {
            built = JsonSchema.FromText(text, build, new Uri($"https://multilateralflows.test/checks/{schemas.Count}"));
            schemas[text] = built;
        }

        return built;
    }

    static string Errors(EvaluationResults results) => string.Join(
        "\n",
        (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"  at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Key}: {e.Value}")));
}
