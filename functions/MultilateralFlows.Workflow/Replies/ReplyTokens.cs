using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Replies;

/// <summary>Where a valid reply token leads.</summary>
public sealed record ReplyAccess(string RoundId, string Participant);

/// <summary>
/// Reply tokens: 256 bits, derived as HMAC-SHA256(signing key, round, participant, random nonce), so that a retried
/// activity or a reminder can put the very same link in its e-mail without the token ever being stored. Only
/// SHA-256(token) is kept: in the request row (compared in constant time) and as the key of the ReplyTokens index.
/// </summary>
public sealed class ReplyTokens(WorkflowStorage storage, IOptions<LinkOptions> options) : IDisposable
{
    /// <summary>
    /// Where tokens lead, once confirmed by the request row's own hash (<see cref="Remember"/>): an index entry never
    /// changes (the same token always belongs to the same round and participant), so a reply need not look it up again.
    /// Bounded; nothing unconfirmed is kept.
    /// </summary>
    readonly MemoryCache found = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>Base64url, without padding, of the 32 bytes of an HMAC-SHA256.</summary>
    public const int TokenLength = 43;

    /// <summary>256 random bits: the token is as unpredictable as its length says, even to someone holding the signing key.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new token, with the current signing key.</summary>
    public string TokenFor(string roundId, string participant, string nonce) => TokenFor(options.Value.SigningKey, roundId, participant, nonce);

    /// <summary>
    /// The token a participant already holds, made again for an e-mail: with the key that made it, the current one or
    /// an earlier one (<see cref="LinkOptions.PreviousSigningKeys"/>), recognised by the stored hash.
    /// </summary>
    public string TokenHeld(string roundId, string participant, string nonce, string tokenHash) =>
        options.Value.SigningKeys
            .Select(key => TokenFor(key, roundId, participant, nonce))
            .FirstOrDefault(token => Matches(token, tokenHash))
        ?? throw new InvalidOperationException(
            $"Round {roundId}: the reply link of "
            + $"{participant} was made with a signing key that is no longer configured; put that key in Links__PreviousSigningKeys.");

    static string TokenFor(string signingKey, string roundId, string participant, string nonce)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes($"reply|{roundId}|{participant}|{nonce}"));
        return Base64Url.EncodeToString(mac);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>Only 43 base64url characters can be a token; anything else is refused before storage is asked.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async Task RegisterAsync(string tokenHash, ReplyAccess access, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var entity = new TableEntity(tokenHash, "token") { ["RoundId"] = access.RoundId, ["Participant"] = access.Participant };
        await storage.ReplyTokens.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Finds the round and participant a token belongs to, or null. The caller still checks the request row's hash
    /// with <see cref="Matches"/>: the index only narrows the search.
    /// </summary>
    public async Task<ReplyAccess?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(token))
        {
            return null;
        }

        var hash = Hash(token);
        if (found.TryGetValue(hash, out ReplyAccess? known))
        {
            return known;
        }

        await storage.EnsureCreatedAsync(cancellationToken);
        try
        {
            var row = await storage.ReplyTokens.GetEntityAsync<TableEntity>(hash, "token", cancellationToken: cancellationToken);
            return new ReplyAccess(row.Value.GetString("RoundId"), row.Value.GetString("Participant"));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Keeps where a token leads, after the request row it led to confirmed it with <see cref="Matches"/>.</summary>
    public void Remember(string token, ReplyAccess access) =>
        found.Set(Hash(token), access, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });

    public void Dispose() => found.Dispose();

    public static bool Matches(string token, string storedHash)
    {
        var presented = Encoding.ASCII.GetBytes(Hash(token));
        var stored = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }
}
