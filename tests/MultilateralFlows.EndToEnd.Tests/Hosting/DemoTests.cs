using MultilateralFlows.Testing;
using Xunit.Abstractions;

namespace MultilateralFlows.EndToEnd.Tests.Hosting;

/// <summary>
/// The README's demo (<c>npm start -- demo</c>, <c>npm run functions -- demo</c>) against a running host: the demo
/// program drives a COORMULTI round with its linked SOIA round to a final position over HTTP, given only the base URL,
/// the function key and the mail folder.
/// </summary>
public abstract class DemoTests(HostKind kind, ITestOutputHelper output) : HostTest(kind)
{
    [SkippableFact]
    public async Task Demo_AgainstTheHost_EndsWithTheFinalBelgianPositionWithNoItemLeftUnsettled()
    {
        string[] arguments = Host is FunctionsHostProcess
            ? [RepositoryPaths.DemoDll, "--url", Host.BaseUrl, "--key", FunctionsHostProcess.FunctionKey, "--mail-folder", Host.MailFolderPath]
            : [RepositoryPaths.DemoDll, "--url", Host.BaseUrl, "--mail-folder", Host.MailFolderPath];
        using var demo = ChildProcess.Start("dotnet", arguments, new Dictionary<string, string?>(), RepositoryPaths.Root);

        var exited = await demo.WaitForExitAsync(TimeSpan.FromMinutes(4));
        output.WriteLine(demo.Output);

        Assert.True(exited, "The demo did not finish within 4 minutes.");
        Assert.Equal(0, demo.ExitCode);
        Assert.Contains("===== Consolidated Belgian position (demo round) =====", demo.Output, StringComparison.Ordinal);
        Assert.Contains("Final", demo.Output, StringComparison.Ordinal);
        Assert.Contains("Flanders", demo.Output, StringComparison.Ordinal);
        Assert.Contains("Settled by consensus on the agreed text below", demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Not settled yet", demo.Output, StringComparison.Ordinal);
        Assert.Contains("the coordinator settled item 5.I", demo.Output, StringComparison.Ordinal);
    }

    public sealed class OnLocalHost(ITestOutputHelper output) : DemoTests(HostKind.Local, output);

    public sealed class OnFunctionsHost(ITestOutputHelper output) : DemoTests(HostKind.Functions, output);
}
