using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MultilateralFlows.Participants;

namespace MultilateralFlows.Email;

/// <summary>SendGrid settings (<c>SendGrid__ApiKey</c>, <c>SendGrid__FromEmail</c>, ...). No API key: mail goes to the local mail folder.</summary>
public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    /// <summary>Empty: e-mails are written to the mail folder instead of sent. In Azure a Key Vault reference.</summary>
    public string? ApiKey { get; set; }

    [Required]
    [EmailAddress]
    public string FromEmail { get; set; } = "";

    public string FromName { get; set; } = "MultilateralFlows";

    /// <summary>Another base address for the SendGrid v3 API, e.g. a fake one in tests.</summary>
    [Url]
    public string? Host { get; set; }

    /// <summary>Ask SendGrid to validate messages without delivering them.</summary>
    public bool SandboxMode { get; set; }

    /// <summary>
    /// How long one call to SendGrid may take. Past it the message counts as unconfirmed and is not sent again: the call
    /// may have reached SendGrid, and SendGrid has no idempotency key.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Calls per message for answers that certainly mean "not accepted" (429, 5xx, no connection) before the activity
    /// gives up for now.
    /// </summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The wait before the first retry; it doubles with each retry, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two calls; a <c>Retry-After</c> above it ends the retries for now.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Event Webhook's verification key as SendGrid shows it (base64 of the DER public key, ECDSA P-256). Empty: the
    /// event endpoint refuses every request.
    /// </summary>
    public string? WebhookPublicKey { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>
    /// The longest one message can keep the sender busy: every attempt timing out after the longest wait. An ledger row
    /// still "sending" after this (plus a margin for storage) belongs to an attempt that died.
    /// </summary>
    public TimeSpan LongestSend => MaxAttempts * (RequestTimeout + MaxRetryDelay) + TimeSpan.FromSeconds(5);
}

/// <summary>Checks what data annotations cannot: the webhook key must be a usable ECDSA P-256 public key.</summary>
public sealed class SendGridOptionsValidator : IValidateOptions<SendGridOptions>
{
    public ValidateOptionsResult Validate(string? name, SendGridOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.WebhookPublicKey) && !EventWebhookSignature.TryParseKey(options.WebhookPublicKey, out _))
        {
            return ValidateOptionsResult.Fail(
                $"{SendGridOptions.SectionName}__{nameof(SendGridOptions.WebhookPublicKey)} is not an ECDSA P-256 public key " +
                "(base64 DER, as SendGrid shows it under Mail Settings > Event Webhook).");
        }

        return ValidateOptionsResult.Success;
    }
}

/// <summary>Where the local mail folder writes e-mails when SendGrid is not configured (<c>MailFolder__Path</c>).</summary>
public sealed class MailFolderOptions
{
    public const string SectionName = "MailFolder";

    [Required]
    public string Path { get; set; } = ".local/mail";
}

/// <summary>How e-mails are written (<c>Email__CoordinatorLanguage</c>).</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string SectionName = "Email";

    /// <summary>
    /// The language of the notices to coordinators. Participants are written to in their directory language; a
    /// round has no coordinator language, and coordinators work in the Flemish administration, so Dutch by default.
    /// </summary>
    public string CoordinatorLanguage { get; set; } = "nl";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Languages.Supported.Contains(CoordinatorLanguage))
        {
            yield return new ValidationResult(
                $"{SectionName}__{nameof(CoordinatorLanguage)} must be one of " +
                $"{string.Join(", ", Languages.Supported.Order(StringComparer.Ordinal))}.",
                [nameof(CoordinatorLanguage)]);
        }
    }
}
