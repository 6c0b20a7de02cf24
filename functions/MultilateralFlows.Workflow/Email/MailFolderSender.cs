using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MultilateralFlows.Email;

/// <summary>
/// The local stand-in for SendGrid: each e-mail becomes one file in the mail folder holding the exact v3
/// <c>mail/send</c> payload. The file name is the message's identity: a message whose file is there has been delivered,
/// so sending it again (after a host died between writing it and recording it) writes nothing.
/// </summary>
public sealed class MailFolderSender(
    IOptions<SendGridOptions> sendGrid, IOptions<MailFolderOptions> mailFolder, ILogger<MailFolderSender> logger) : IEmailSender
{
    /// <summary>Starts the provider message id; ledger rows already hold ids with it, so it keeps the folder's old name.</summary>
    const string ProviderIdPrefix = "outbox:";

    public bool RepeatIsHarmless => true;

    /// <summary>A file write; a claim older than this belongs to a host that died.</summary>
    public TimeSpan LongestSend => TimeSpan.FromSeconds(10);

    public string Folder { get; } = Path.GetFullPath(mailFolder.Value.Path);

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{message.Key.Name}.json");
        if (File.Exists(path))
        {
            logger.LogInformation("E-mail {MessageKey} is already in the local mail folder {MailFolderPath}", message.Key.Name, path);
            return SendResult.Accepted(ProviderIdPrefix + message.Key.Name);
        }

        var payload = SendGridPayload.Build(message, sendGrid.Value).Serialize();

        // Write then rename, so whoever watches the folder never reads half a message.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, payload, new UTF8Encoding(false), cancellationToken);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another attempt delivered it a moment ago: it is there once, which is all that counts.
            File.Delete(temporary);
        }

        logger.LogInformation("E-mail {MessageKey} written to the local mail folder {MailFolderPath}", message.Key.Name, path);
        return SendResult.Accepted(ProviderIdPrefix + message.Key.Name);
    }
}
