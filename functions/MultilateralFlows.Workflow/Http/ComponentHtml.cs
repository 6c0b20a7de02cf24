using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MultilateralFlows.Http;

/// <summary>
/// Renders a Razor component to HTML text with ASP.NET Core's <see cref="HtmlRenderer"/>: the pages are server-rendered
/// static HTML (no circuit, no interactivity), so a component here is a typed, HTML-encoding template. Components take
/// everything they show as parameters and need no services, which keeps rendering the same on both hosts and in tests.
/// </summary>
public static class ComponentHtml
{
    // A renderer over a container with nothing but the encoder: components that ask for a service fail loudly here instead
    // of depending on whichever host happens to render them. The encoder leaves letters of every script as they are (the
    // default writes é as &#xE9;, which makes Dutch and French remarks larger and unreadable in the source); markup
    // characters are encoded all the same.
    static readonly IServiceProvider NoServices = new ServiceCollection()
        .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All))
        .BuildServiceProvider();

    public static Task<string> RenderAsync<TComponent>(IReadOnlyDictionary<string, object?> parameters)
        where TComponent : IComponent =>
        RenderAsync(typeof(TComponent), parameters);

    public static async Task<string> RenderAsync(Type component, IReadOnlyDictionary<string, object?> parameters)
    {
        await using var renderer = new HtmlRenderer(NoServices, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync(component, ParameterView.FromDictionary(parameters.ToDictionary()));
            return output.ToHtmlString();
        });
    }

    /// <summary>A whole HTML document: the component (a page with its layout) after the doctype, which a component cannot write.</summary>
    public static async Task<string> DocumentAsync<TComponent>(IReadOnlyDictionary<string, object?> parameters)
        where TComponent : IComponent =>
        "<!DOCTYPE html>\n" + await RenderAsync<TComponent>(parameters);

    /// <summary>
    /// The rendered component as a page with the security headers every page carries; with <paramref name="allowScripts"/>,
    /// its content policy also lets it run scripts from this origin (the console's, which refresh progress).
    /// </summary>
    public static async Task<HtmlPage> PageAsync<TComponent>(
        int statusCode, IReadOnlyDictionary<string, object?> parameters, bool allowScripts = false)
        where TComponent : IComponent =>
        new(statusCode, await DocumentAsync<TComponent>(parameters), allowScripts);

    /// <summary>
    /// Text for a translated sentence that carries its own markup (<c>&lt;strong&gt;</c> in the .resx): the values put into
    /// it are encoded with this first, and the sentence is then written as markup.
    /// </summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
