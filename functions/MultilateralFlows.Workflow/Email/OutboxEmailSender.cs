using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MultilateralFlows.Email;

/// <summary>
/// The local stand-in for SendGrid: each e-mail becomes one file in the outbox folder holding the exact v3
/// <c>mail/send</c> payload. The file name is the message's identity, so writing it again changes nothing.
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
        var payload = SendGridPayload.Build(message, sendGrid.Value).Serialize();

        // Write then rename, so whoever watches the folder never reads half a message.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, payload, new UTF8Encoding(false), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        logger.LogInformation("E-mail {MessageKey} written to the local outbox {OutboxPath}", message.Key.Name, path);
        return SendResult.Accepted($"outbox:{message.Key.Name}");
    }
}
