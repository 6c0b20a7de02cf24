using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>The person signed in to the console, with the app roles the platform gave them.</summary>
public sealed record SignedInPerson(string Email, string Name, IReadOnlyList<string> Roles)
{
    public bool IsCoordinator => Roles.Contains("Coordinator");

    public ActingCoordinator AsActor() => new(Email);
}

/// <summary>
/// A throwaway stand-in for the console's sign-in (issue 15): everyone is one fixed coordinator. The real sign-in
/// (Entra ID through the platform, a development sign-in locally) replaces this file with the same shape.
/// </summary>
public sealed class CoordinatorSignIn
{
    public static readonly SignedInPerson Stub = new("coordinator@example.be", "Test Coordinator", ["Coordinator"]);

    /// <summary>For a console page or form: the signed-in Coordinator, or the answer to give instead.</summary>
    public (SignedInPerson? Person, IResult? Refusal) ForConsole(HttpRequest request, string returnPath) => (Stub, null);
}
