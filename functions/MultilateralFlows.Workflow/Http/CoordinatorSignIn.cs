using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary>The person signed in to the console, with their app roles.</summary>
public sealed record SignedInPerson(string Email, string Name, IReadOnlyList<string> Roles)
{
    public bool IsCoordinator => Roles.Contains("Coordinator");

    public ActingCoordinator AsActor() => new(Email);
}

/// <summary>
/// Stand-in for the console's sign-in until the real one (Entra ID through the platform's client principal) is merged:
/// everyone is one fixed coordinator. Only the shape is meant to last.
/// </summary>
public sealed class CoordinatorSignIn
{
    static readonly SignedInPerson Fixed = new("coordinator@example.be", "Test Coordinator", ["Coordinator"]);

    /// <summary>For a console page or form: the signed-in Coordinator, or the answer to give instead.</summary>
    public (SignedInPerson? Person, IResult? Refusal) ForConsole(HttpRequest request, string returnPath) => (Fixed, null);
}
