using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MultilateralFlows.Testing;

/// <summary>
/// Plays SendGrid's side of the signed Event Webhook: a P-256 key pair whose public half goes into
/// <c>SendGrid__WebhookPublicKey</c> (base64 DER, as SendGrid shows it), and signed POSTs of event batches.
/// </summary>
public sealed class EventWebhookSigner : IDisposable
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string PublicKeyBase64 => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    public string Sign(string timestamp, byte[] body)
    {
        var payload = Encoding.ASCII.GetBytes(timestamp).Concat(body).ToArray();
        return Convert.ToBase64String(key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>A POST as SendGrid makes it; <paramref name="at"/> sets the timestamp (now by default).</summary>
    public HttpRequestMessage SignedPost(string url, string body, DateTimeOffset? at = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SignatureHeader, Sign(timestamp, bytes));
        request.Headers.Add(TimestampHeader, timestamp);
        return request;
    }

    /// <summary>
    /// One event as SendGrid posts it: the message's <c>custom_args</c> copied to the top level, as SendGrid does.
    /// </summary>
    public static JsonObject Event(FakeSendGridCall call, string type, string? eventId = null, string? email = null, string? reason = null)
    {
        var e = new JsonObject
        {
            ["email"] = email ?? call.To[0],
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["event"] = type,
            ["sg_event_id"] = eventId ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)),
            ["sg_message_id"] = $"{call.MessageId}.filterdrecv-5645d9c87f-abcde-1-64F0-2.0",
            ["category"] = new JsonArray("multilateralflows", call.Kind.ToLowerInvariant()),
        };
        if (reason is not null)
        {
            e["reason"] = reason;
        }

        foreach (var (name, value) in call.Payload["custom_args"]!.AsObject())
        {
            e[name] = value!.GetValue<string>();
        }

        return e;
    }

    public void Dispose() => key.Dispose();
}
