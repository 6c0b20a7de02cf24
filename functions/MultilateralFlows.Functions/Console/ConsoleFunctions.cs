using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Pages.Console;

namespace MultilateralFlows.Functions.Console;

/// <summary>
/// The coordinator console's pages. Anonymous at the gateway: a person in a browser has no function key; sign-in
/// (<see cref="MultilateralFlows.Http.CoordinatorSignIn"/>) protects every page that shows or changes a round.
/// </summary>
public sealed class ConsoleFunctions(ConsolePages console)
{
    [Function(nameof(ConsoleHome))]
    public IResult ConsoleHome(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request) =>
        ConsolePages.Home(request);

    [Function(nameof(ConsoleRounds))]
    public Task<IResult> ConsoleRounds(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/rounds")] HttpRequest request,
        CancellationToken cancellationToken) =>
        console.RoundsAsync(request, cancellationToken);

    [Function(nameof(ConsoleNewRound))]
    public Task<IResult> ConsoleNewRound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/rounds/new")] HttpRequest request,
        CancellationToken cancellationToken) =>
        console.NewRoundAsync(request, cancellationToken);

    [Function(nameof(ConsoleStartRound))]
    public Task<IResult> ConsoleStartRound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/rounds/new")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        console.StartRoundAsync(request, client, cancellationToken);

    [Function(nameof(ConsoleScript))]
    public IResult ConsoleScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/console.js")] HttpRequest request) =>
        ConsoleScripts.ConsoleScript();
}
