using Microsoft.AspNetCore.Http;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Http;

/// <summary>
/// The person acting for the coordinator on a request, as the audit names them; the round's <c>coordinatorEmail</c> is a
/// shared mailbox, not a person. <see cref="CoordinatorSignIn.ForApi"/> decides who it is: the signed-in principal
/// where App Service Authentication is on; elsewhere the development sign-in's person, or whoever the caller (holding
/// the function key, or on this machine) names in the <see cref="HeaderName"/> header. Without either the audit says
/// honestly that nobody was named.
/// </summary>
public sealed record ActingCoordinator(string? Email)
{
    public const string HeaderName = "X-Acting-Coordinator";

    /// <summary>
    /// The header, checked: absent means not named; one e-mail address names the person; anything else is a 400 problem
    /// with the header as the field. Trusted only where the platform does not say who calls (see <see cref="CoordinatorSignIn"/>).
    /// </summary>
    public static (ActingCoordinator? Coordinator, IResult? Problem) FromHeader(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderName, out var values) || values.All(string.IsNullOrWhiteSpace))
        {
            return (new ActingCoordinator(Email: null), null);
        }

        if (values.Count != 1 || !RoundRequestValidator.IsEmailAddress(values[0]!))
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]>
            {
                [HeaderName] = ["One e-mail address: the person acting for the coordinator, e.g. name@diplobel.fed.be."],
            }));
        }

        return (new ActingCoordinator(values[0]!.Trim()), null);
    }

    /// <summary>The audit's actor: the person named, or that nobody was, for the round's coordinator address.</summary>
    public string ActorFor(string roundCoordinatorEmail) =>
        Email is null ? $"coordinator (not named) for {roundCoordinatorEmail}" : $"coordinator {Email}";
}
