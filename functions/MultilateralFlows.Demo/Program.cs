using MultilateralFlows.Demo;

// dotnet MultilateralFlows.Demo.dll --url http://127.0.0.1:7071 [--key FUNCTION_KEY] [--mail-folder .local/mail]
var options = DemoOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: MultilateralFlows.Demo --url BASE_URL [--key FUNCTION_KEY] [--mail-folder FOLDER]");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var position = await new DemoRound(options, Console.Out).RunAsync(cancel.Token);
    Console.WriteLine();
    Console.WriteLine("===== Consolidated Belgian position (demo round) =====");
    Console.WriteLine(position);
    return 0;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    Console.Error.WriteLine($"The demo round failed: {e.Message}");
    return 1;
}
