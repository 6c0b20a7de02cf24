using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using MultilateralFlows.Http.OpenApi;

namespace MultilateralFlows.Functions.Http;

/// <summary>The OpenAPI document: anonymous, as it describes the API and holds no secret.</summary>
public static class OpenApiFunction
{
    [Function(nameof(OpenApiDocument))]
    public static IResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        OpenApiDocumentApi.Get(request.HttpContext.Response);
}
