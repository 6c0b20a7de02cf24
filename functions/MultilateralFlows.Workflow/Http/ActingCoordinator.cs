using Microsoft.AspNetCore.Http;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Http;

/// <summary>
/// The person acting for the coordinator on a request, as the audit names them. Until sign-in exists (issue 15: Entra ID
/// and the platform's client principal will say who it is), the caller names them in the <see cref="HeaderName"/> header;
/// the round's <c>coordinatorEmail</c> is a shared mailbox, not a person. Without the header the audit says honestly
/// that nobody was named. Every coordinator route reads it here, so sign-in replaces it in this one place.
/// </summary>
public sealed record ActingCoordinator(string? Email)
{
    public const string HeaderName = "X-Acting-Coordinator";

    /// <summary>
    /// The header, checked: absent means not named; one e-mail address names the person; anything else is a 400 problem
    /// with the header as the field.
    /// </summary>
    public static (ActingCoordinator? Coordinator, IResult? Problem) From(HttpRequest request)
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
