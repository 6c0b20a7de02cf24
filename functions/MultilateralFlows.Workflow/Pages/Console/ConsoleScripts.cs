using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Pages.Console;

/// <summary>
/// The console's scripts, built into the assembly and served from the console's own routes: scripts from this origin
/// are all a console page's content policy allows.
/// </summary>
public static class ConsoleScripts
{
    static readonly Lazy<string> Console = new(() => Read("MultilateralFlows.Pages.Console.console.js"));
    static readonly Lazy<string> RoundPage = new(() => Read("MultilateralFlows.Pages.Console.RoundPageRefresh.js"));

    /// <summary><c>GET /api/console/console.js</c>: refreshes a page's <c>data-refresh</c> regions.</summary>
    public static IResult ConsoleScript() => Serve(Console.Value);

    /// <summary><c>GET /api/console/scripts/round-page.js</c>: refreshes the round page's participants.</summary>
    public static IResult RoundPageScript() => Serve(RoundPage.Value);

    static IResult Serve(string script) => Results.Text(script, "text/javascript; charset=utf-8");

    static string Read(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The script {resource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
