using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http.OpenApi;

/// <summary>
/// <c>GET /api/openapi.json</c>: the OpenAPI 3.1 description of every route. Anonymous (it describes the API, it holds
/// no secret) and cacheable for a few minutes (it changes only with a deployment).
/// </summary>
/// <remarks>
/// The document is hand-kept JSON (<c>openapi.json</c> beside this file, embedded in the assembly), not generated from
/// the code: the handlers read <see cref="HttpRequest"/> and validate bodies themselves (a request type such as
/// <c>StartRoundRequest</c> is all optional strings, so that the validator can say what is wrong per field), so a
/// generator would see neither the rules (enums, lengths, patterns, required fields) nor which statuses a route really
/// answers; those are written by hand either way, and one JSON file says them plainly, diffs plainly in a review, and
/// describes HTML pages and form posts as easily as JSON. Adding a route is adding its path and operation there, with
/// <c>operationId</c> the route's name in <see cref="ApiRoutes"/>. Tests keep it true: Microsoft.OpenApi reads and
/// validates it as OpenAPI 3.1, its operations must be exactly <see cref="ApiRoutes.All"/>, each response schema must
/// name exactly the properties its C# type writes, and the answers of an end-to-end round must validate against it on
/// both hosts.
/// </remarks>
public static class OpenApiDocumentApi
{
    public const string ResourceName = "MultilateralFlows.Http.OpenApi.openapi.json";

    /// <summary>How long a client or proxy may keep the document.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    static readonly Lazy<byte[]> Document = new(() =>
    {
        using var stream = typeof(OpenApiDocumentApi).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The OpenAPI document is not embedded as {ResourceName}.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    });

    /// <summary>The document as served (UTF-8 JSON).</summary>
    public static ReadOnlyMemory<byte> Bytes => Document.Value;

    public static IResult Get(HttpResponse response)
    {
        SecurityHeaders.AllowPublicCaching(response, CacheFor);
        return Results.Bytes(Document.Value, "application/json; charset=utf-8");
    }
}
