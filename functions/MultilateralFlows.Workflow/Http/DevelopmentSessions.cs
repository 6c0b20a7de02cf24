using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Http;

/// <summary>
/// The development sign-in's session: a cookie holding who signed in and until when, with an HMAC-SHA256 over both, so
/// that nothing is stored and nobody without the key can make or change one. The key is derived from
/// <c>Links__SigningKey</c> for this one purpose (a reply token and a session can never be taken for each other).
/// HttpOnly (no script reads it) and SameSite=Strict (no other site's page sends it).
/// </summary>
public sealed class DevelopmentSessions(IOptions<LinkOptions> links, TimeProvider time)
{
    public const string CookieName = "mf-console-session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>Longer is not a cookie this app made: refused before any work.</summary>
    const int MaxCookieLength = 2048;

    readonly Lazy<byte[]> key = new(() =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(links.Value.SigningKey), "multilateralflows|console-session|v1"u8));

    sealed record Payload(string E, string N, long X);

    /// <summary>The cookie value for a person signed in now.</summary>
    public string Issue(string email, string name)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Payload(email, name, expires)));
        return $"{payload}.{Mac(payload)}";
    }

    /// <summary>The person a cookie value names, or null when it is not one this app made, was changed, or has expired.</summary>
    public SignedInPerson? Read(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxCookieLength || value.Split('.') is not [var payload, var mac])
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(payload)), Encoding.ASCII.GetBytes(mac)))
        {
            return null;
        }

        try
        {
            var session = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(payload));
            return session is not null
                && DateTimeOffset.FromUnixTimeSeconds(session.X) > time.GetUtcNow()
                && RoundRequestValidator.IsEmailAddress(session.E)
                ? new SignedInPerson(session.E, session.N, [ClientPrincipal.CoordinatorRole])
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public SignedInPerson? Read(HttpRequest request) => Read(request.Cookies[CookieName]);

    public void SignIn(HttpResponse response, string email, string name) =>
        response.Cookies.Append(CookieName, Issue(email, name), Options(response.HttpContext.Request, time.GetUtcNow().Add(Lifetime)));

    public void SignOut(HttpResponse response) =>
        response.Cookies.Delete(CookieName, Options(response.HttpContext.Request, expires: null));

    static CookieOptions Options(HttpRequest request, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/api",
        Expires = expires,
        IsEssential = true,
    };

    string Mac(string payload) => Base64Url.EncodeToString(HMACSHA256.HashData(key.Value, Encoding.ASCII.GetBytes(payload)));
}
