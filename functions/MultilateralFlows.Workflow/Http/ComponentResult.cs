using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>A page rendered from a component when the answer is sent, for code that decides an answer without awaiting.</summary>
public sealed class ComponentResult<TComponent>(int statusCode, IReadOnlyDictionary<string, object?> parameters) : IResult
    where TComponent : IComponent
{
    public int StatusCode => statusCode;

    public IReadOnlyDictionary<string, object?> Parameters => parameters;

    public async Task ExecuteAsync(HttpContext httpContext) =>
        await (await ComponentHtml.PageAsync<TComponent>(statusCode, parameters)).ExecuteAsync(httpContext);
}
