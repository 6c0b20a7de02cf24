using System.ComponentModel.DataAnnotations;

namespace MultilateralFlows.Email;

/// <summary>SendGrid settings (<c>SendGrid__ApiKey</c>, <c>SendGrid__FromEmail</c>, ...). No API key: mail goes to the local outbox.</summary>
public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    /// <summary>Empty: e-mails are written to the outbox folder instead of sent.</summary>
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

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}

/// <summary>Where the local outbox writes e-mails when SendGrid is not configured (<c>Outbox__Path</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    [Required]
    public string Path { get; set; } = ".local/outbox";
}
