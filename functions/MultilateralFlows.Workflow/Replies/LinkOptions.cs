using System.ComponentModel.DataAnnotations;

namespace MultilateralFlows.Replies;

/// <summary>How reply links are made (settings <c>Links__PublicBaseUrl</c>, <c>Links__SigningKey</c>, <c>Links__PreviousSigningKeys</c>).</summary>
public sealed class LinkOptions
{
    public const string SectionName = "Links";

    /// <summary>What every link in an e-mail starts with, e.g. https://multilateralflows.example.org. Never taken from a request.</summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The secret reply tokens are derived from (Key Vault in Azure). At least 32 characters.</summary>
    [Required]
    [MinLength(32)]
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// Optional: earlier signing keys, separated by ';'. A rotated key would otherwise change the links that reminders
    /// and receipts carry for rounds opened before the rotation (those participants hold the old links); keep the old
    /// key here until those rounds have closed.
    /// </summary>
    public string? PreviousSigningKeys { get; set; }

    /// <summary>The signing key first, then the earlier ones.</summary>
    public IEnumerable<string> SigningKeys =>
        new[] { SigningKey }.Concat((PreviousSigningKeys ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public string ReplyUrl(string token) => $"{PublicBaseUrl.TrimEnd('/')}/api/reply/{token}";

    public string RoundUrl(string roundId) => $"{PublicBaseUrl.TrimEnd('/')}/api/rounds/{roundId}";
}
