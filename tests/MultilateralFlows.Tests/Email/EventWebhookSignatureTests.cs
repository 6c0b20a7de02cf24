using System.Security.Cryptography;
using System.Text;
using MultilateralFlows.Email;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Email;

/// <summary>Signature checks of the Event Webhook, including SendGrid's own published example.</summary>
public sealed class EventWebhookSignatureTests
{
    // The example that SendGrid's libraries verify against (sendgrid-csharp's RequestValidatorTests): it proves the
    // byte layout (timestamp, then body) and the signature format (base64 DER) match what SendGrid sends.
    const string SendGridKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
    const string SendGridPayload = "{\"category\":\"example_payload\",\"event\":\"test_event\",\"message_id\":\"message_id\"}";
    const string SendGridSignature = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
    const string SendGridTimestamp = "1588788367";
    static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1588788367);

    static byte[] Key(string text) => EventWebhookSignature.TryParseKey(text, out var key) ? key : throw new InvalidOperationException("Key did not parse");

    static SignatureCheck Check(string? signature = SendGridSignature, string? timestamp = SendGridTimestamp, string payload = SendGridPayload, string key = SendGridKey, DateTimeOffset? now = null) =>
        EventWebhookSignature.Verify(Key(key), signature, timestamp, Encoding.UTF8.GetBytes(payload), now ?? SignedAt.AddSeconds(30));

    [Fact]
    public void Verify_SendGridsPublishedExample_Valid() => Assert.Equal(SignatureCheck.Valid, Check());

    [Fact]
    public void Verify_BodyChanged_Invalid() => Assert.Equal(SignatureCheck.Invalid, Check(payload: SendGridPayload.Replace("test_event", "delivered", StringComparison.Ordinal)));

    [Fact]
    public void Verify_TimestampChanged_Invalid() => Assert.Equal(SignatureCheck.Invalid, Check(timestamp: "1588788368"));

    [Fact]
    public void Verify_AnotherKey_Invalid()
    {
        using var signer = new EventWebhookSigner();

        Assert.Equal(SignatureCheck.Invalid, Check(key: signer.PublicKeyBase64));
    }

    [Fact]
    public void Verify_ValidButOld_Stale() => Assert.Equal(SignatureCheck.Stale, Check(now: SignedAt.AddMinutes(11)));

    [Fact]
    public void Verify_ValidButFromTheFuture_Stale() => Assert.Equal(SignatureCheck.Stale, Check(now: SignedAt.AddMinutes(-11)));

    [Theory]
    [InlineData(null, SendGridTimestamp, SignatureCheck.Missing)]
    [InlineData(SendGridSignature, null, SignatureCheck.Missing)]
    [InlineData("not base64!", SendGridTimestamp, SignatureCheck.Malformed)]
    [InlineData(SendGridSignature, "-5", SignatureCheck.Malformed)]
    [InlineData(SendGridSignature, "99999999999999999999", SignatureCheck.Malformed)]
    [InlineData("c2lnbmF0dXJl", SendGridTimestamp, SignatureCheck.Invalid)]
    public void Verify_BadHeaders_Refused(string? signature, string? timestamp, SignatureCheck expected) =>
        Assert.Equal(expected, Check(signature, timestamp));

    [Fact]
    public void Verify_OurSignerAgainstItsKey_Valid()
    {
        using var signer = new EventWebhookSigner();
        var body = Encoding.UTF8.GetBytes("[{\"event\":\"delivered\"}]");
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(SignatureCheck.Valid, EventWebhookSignature.Verify(Key(signer.PublicKeyBase64), signer.Sign(timestamp, body), timestamp, body, now));
    }

    [Fact]
    public void TryParseKey_PemArmour_Accepted()
    {
        var pem = $"-----BEGIN PUBLIC KEY-----\n{SendGridKey[..40]}\n{SendGridKey[40..]}\n-----END PUBLIC KEY-----\n";

        Assert.True(EventWebhookSignature.TryParseKey(pem, out var key));
        Assert.Equal(Convert.FromBase64String(SendGridKey), key);
    }

    [Fact]
    public void TryParseKey_NotAP256Key_Refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        Assert.False(EventWebhookSignature.TryParseKey(Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()), out _));
        Assert.False(EventWebhookSignature.TryParseKey(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), out _));
        Assert.False(EventWebhookSignature.TryParseKey("not a key", out _));
        Assert.False(EventWebhookSignature.TryParseKey("", out _));
    }

    [Fact]
    public void SendGridOptionsValidator_UnusableWebhookKey_FailsAtStartUp()
    {
        var validator = new SendGridOptionsValidator();

        Assert.True(validator.Validate(null, new SendGridOptions { WebhookPublicKey = "bad" }).Failed);
        Assert.True(validator.Validate(null, new SendGridOptions { WebhookPublicKey = SendGridKey }).Succeeded);
        Assert.True(validator.Validate(null, new SendGridOptions()).Succeeded);
    }

    [Fact]
    public void HashEventId_StableHexOfFixedLength()
    {
        var hash = EventWebhookSignature.HashEventId("ZGVsaXZlcmVkLTAtMjQ/NDQ#Mi8x");

        Assert.Matches("^[0-9a-f]{32}$", hash);
        Assert.Equal(hash, EventWebhookSignature.HashEventId("ZGVsaXZlcmVkLTAtMjQ/NDQ#Mi8x"));
        Assert.NotEqual(hash, EventWebhookSignature.HashEventId("ZGVsaXZlcmVkLTAtMjQ/NDQ#Mi8y"));
    }
}
