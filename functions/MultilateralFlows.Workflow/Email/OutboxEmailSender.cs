using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MultilateralFlows.Email;

/// <summary>
/// The local stand-in for SendGrid: each e-mail becomes one file in the outbox folder holding the exact v3
/// <c>mail/send</c> payload. The file name is the message's identity: a message whose file is there has been delivered,
/// so sending it again (after a host died between writing it and recording it) writes nothing.
/// </summary>
public sealed class OutboxEmailSender(IOptions<SendGridOptions> sendGrid, IOptions<OutboxOptions> outbox, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public bool RepeatIsHarmless => true;

    /// <summary>A file write; a claim older than this belongs to a host that died.</summary>
    public TimeSpan LongestSend => TimeSpan.FromSeconds(10);

    public string Folder { get; } = Path.GetFullPath(outbox.Value.Path);

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{message.Key.Name}.json");
        if (File.Exists(path))
        {
            logger.LogInformation("E-mail {MessageKey} is already in the local outbox {OutboxPath}", message.Key.Name, path);
            return SendResult.Accepted($"outbox:{message.Key.Name}");
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

        logger.LogInformation("E-mail {MessageKey} written to the local outbox {OutboxPath}", message.Key.Name, path);
        return SendResult.Accepted($"outbox:{message.Key.Name}");
    }
}
