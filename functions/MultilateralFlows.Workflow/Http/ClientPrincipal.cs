using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Http;

/// <summary>
/// The client principal App Service Authentication passes to the app: <c>X-MS-CLIENT-PRINCIPAL</c>, base64 of
/// <c>{"auth_typ", "claims": [{"typ", "val"}], "name_typ", "role_typ"}</c>, with <c>X-MS-CLIENT-PRINCIPAL-NAME</c>,
/// <c>-ID</c> and <c>-IDP</c> beside it. The platform strips these headers from what callers send, so they are its word
/// only where it runs (<see cref="PlatformEnvironment.AuthenticationEnabled"/>); elsewhere anyone can write them.
/// </summary>
public static class ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string NameHeaderName = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string CoordinatorRole = "Coordinator";

    /// <summary>Far above what Entra ID puts in a principal (a few KB), far below what would cost to decode.</summary>
    public const int MaxHeaderLength = 32 * 1024;

    // Claim types as App Service maps them (short JWT names, or the WS-Federation URIs of the default mapping).
    static readonly string[] RoleTypes = ["roles", "role", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];
    static readonly string[] AddressTypes =
    [
        "preferred_username", "email", "upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
    ];

    static readonly string[] NameTypes = ["name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"];
    static readonly string[] ApplicationTypes = ["azp", "appid"];

    /// <summary>Whether the request carries any <c>X-MS-CLIENT-PRINCIPAL*</c> header.</summary>
    public static bool HasAnyHeader(HttpRequest request) =>
        request.Headers.Keys.Any(key => key.StartsWith(HeaderName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The person the header names, or why it names nobody. Who they are is their address (<c>preferred_username</c>,
    /// <c>email</c> or <c>upn</c>), else the principal's name header when it is an address; an application signed in with
    /// its own token (no user) is named by its client id. Roles are the <c>roles</c> claims and those of <c>role_typ</c>.
    /// </summary>
    public static (SignedInPerson? Person, string? Error) Parse(string? header, string? nameHeader = null)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return (null, "No client principal.");
        }

        if (header.Length > MaxHeaderLength)
        {
            return (null, "The client principal is too large.");
        }

        List<(string Type, string Value)> claims;
        string? roleType;
        string? nameType;
        try
        {
            using var json = JsonDocument.Parse(Decode(header.Trim()), new JsonDocumentOptions { MaxDepth = 8 });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return (null, "The client principal has no claims.");
            }

            claims = list.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object)
                .Select(c => (Type: StringOf(c, "typ"), Value: StringOf(c, "val")))
                .Where(c => c.Type is not null && c.Value is not null)
                .Select(c => (c.Type!, c.Value!))
                .ToList();
            roleType = StringOf(root, "role_typ");
            nameType = StringOf(root, "name_typ");
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return (null, "The client principal is not base64 of a JSON object.");
        }

        string? First(IEnumerable<string?> types) =>
            types.Where(t => t is not null).SelectMany(t => claims.Where(c => string.Equals(c.Type, t, StringComparison.OrdinalIgnoreCase)))
                .Select(c => c.Value.Trim()).FirstOrDefault(v => v.Length > 0);

        var address = AddressTypes.Select(t => First([t])).FirstOrDefault(v => v is not null && RoundRequestValidator.IsEmailAddress(v))
            ?? (nameHeader is { } n && RoundRequestValidator.IsEmailAddress(n.Trim()) ? n.Trim() : null);
        var application = First(ApplicationTypes);
        var who = address ?? (application is null ? null : $"application {application}");
        if (who is null)
        {
            return (null, "The client principal names nobody (no preferred_username, email, upn or application id).");
        }

        var roles = claims
            .Where(c => RoleTypes.Contains(c.Type, StringComparer.OrdinalIgnoreCase) || string.Equals(c.Type, roleType, StringComparison.OrdinalIgnoreCase))
            .Select(c => c.Value.Trim())
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var name = First([.. NameTypes, nameType]) ?? who;
        return (new SignedInPerson(who, name, roles), null);
    }

    /// <summary>Standard base64 as App Service writes it; padding and URL-safe characters forgiven.</summary>
    static string Decode(string base64)
    {
        var standard = base64.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(standard));
    }

    static string? StringOf(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
