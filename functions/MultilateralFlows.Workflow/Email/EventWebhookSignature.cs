using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MultilateralFlows.Email;

/// <summary>Why a webhook request's signature was not accepted.</summary>
public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Stale,
    Invalid,
}

/// <summary>The signature headers of a webhook request, parsed: the DER signature, the timestamp as sent and in seconds.</summary>
public sealed record SignatureHeaders(byte[] Signature, string Timestamp, long Seconds);

/// <summary>
/// Verifies SendGrid's signed Event Webhook: <c>X-Twilio-Email-Event-Webhook-Signature</c> is a base64 DER ECDSA
/// signature (P-256, SHA-256) over the <c>X-Twilio-Email-Event-Webhook-Timestamp</c> header followed by the raw body
/// bytes. A timestamp further than <see cref="MaxClockDifference"/> from now is refused, so a captured request cannot be
/// replayed later (and a replay within the window only repeats events that are deduplicated anyway).
/// </summary>
public static class EventWebhookSignature
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public static readonly TimeSpan MaxClockDifference = TimeSpan.FromMinutes(10);

    /// <summary>Accepts the key as SendGrid shows it (base64 of the DER SubjectPublicKeyInfo), with or without PEM armour.</summary>
    public static bool TryParseKey(string? text, out byte[] subjectPublicKeyInfo)
    {
        subjectPublicKeyInfo = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var base64 = string.Concat(text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
        try
        {
            var bytes = Convert.FromBase64String(base64);
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(bytes, out _);
            if (key.KeySize != 256)
            {
                return false;
            }

            subjectPublicKeyInfo = bytes;
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Checks the whole request at once: its headers, then the signature over the timestamp and the body.</summary>
    public static SignatureCheck Verify(
        byte[] subjectPublicKeyInfo, string? signature, string? timestamp, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var check = ReadHeaders(signature, timestamp, out var headers);
        if (check != SignatureCheck.Valid)
        {
            return check;
        }

        using var hash = StartHash(headers!);
        hash.AppendData(body);
        return Verify(subjectPublicKeyInfo, headers!, hash.GetHashAndReset(), now);
    }

    /// <summary>
    /// The signature headers, checked before any of the body is read: a request without them, or with them malformed,
    /// is refused at once, whatever it sends after.
    /// </summary>
    public static SignatureCheck ReadHeaders(string? signature, string? timestamp, out SignatureHeaders? headers)
    {
        headers = null;
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp))
        {
            return SignatureCheck.Missing;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return SignatureCheck.Malformed;
        }

        try
        {
            headers = new SignatureHeaders(Convert.FromBase64String(signature.Trim()), timestamp, seconds);
            return SignatureCheck.Valid;
        }
        catch (FormatException)
        {
            return SignatureCheck.Malformed;
        }
    }

    /// <summary>The hash the signature covers, started with the timestamp; the body is appended as it arrives.</summary>
    public static IncrementalHash StartHash(SignatureHeaders headers)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(headers.Timestamp));
        return hash;
    }

    /// <summary>Verifies the signature over the hash of the timestamp and the whole body, then the timestamp's age.</summary>
    public static SignatureCheck Verify(byte[] subjectPublicKeyInfo, SignatureHeaders headers, byte[] sha256, DateTimeOffset now)
    {
        bool valid;
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            valid = key.VerifyHash(sha256, headers.Signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        if (!valid)
        {
            return SignatureCheck.Invalid;
        }

        // Checked after the signature, so an attacker learns nothing about the clock from an unsigned request.
        var age = now - DateTimeOffset.FromUnixTimeSeconds(headers.Seconds);
        return age.Duration() > MaxClockDifference ? SignatureCheck.Stale : SignatureCheck.Valid;
    }

    /// <summary>
    /// The key of an event's dedupe row: SendGrid's <c>sg_event_id</c> may contain characters that table keys do not
    /// allow ('/', '#', '?', '\'), so its SHA-256 (128 bits of it, hex) stands in for it.
    /// </summary>
    public static string HashEventId(string eventId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventId)).AsSpan(0, 16));
}
