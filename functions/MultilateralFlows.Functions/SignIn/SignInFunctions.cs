using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using MultilateralFlows.Http;

namespace MultilateralFlows.Functions.SignIn;

/// <summary>
/// The development sign-in's routes. Anonymous: signing in is what they are for, and they answer 404 wherever the
/// development sign-in is off (always in Azure).
/// </summary>
public sealed class SignInFunctions(DevelopmentSignInApi signIn)
{
    [Function(nameof(ConsoleShowSignIn))]
    public Task<IResult> ConsoleShowSignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/sign-in")] HttpRequest request) =>
        signIn.ShowAsync(request);

    [Function(nameof(ConsoleSignIn))]
    public Task<IResult> ConsoleSignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/sign-in")] HttpRequest request,
        CancellationToken cancellationToken) =>
        signIn.SignInAsync(request, cancellationToken);

    [Function(nameof(ConsoleSignOut))]
    public Task<IResult> ConsoleSignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "console/sign-out")] HttpRequest request) =>
        signIn.SignOutAsync(request);
}
