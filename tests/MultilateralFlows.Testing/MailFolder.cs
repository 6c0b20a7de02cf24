using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MultilateralFlows.Testing;

/// <summary>One e-mail as the local mail folder wrote it: the SendGrid v3 payload.</summary>
public sealed record MailFolderMessage(string FileName, JsonObject Payload)
{
    public string RoundId => CustomArg("roundId");

    public string ParticipantId => CustomArg("participantId");

    public string Kind => CustomArg("kind");

    /// <summary>For a coordinator notice, which (PositionReady, ParentDeadlineNear, ...); null for other e-mails.</summary>
    public string? Notice => Payload["custom_args"]!["notice"]?.GetValue<string>();

    /// <summary>The message number of the e-mail's key (a request's iteration, a receipt's reply version), "sequence" in custom args.</summary>
    public int MessageNumber => int.Parse(CustomArg("sequence"), System.Globalization.CultureInfo.InvariantCulture);

    public string Subject => Payload["subject"]!.GetValue<string>();

    public IReadOnlyList<string> To => Payload["personalizations"]![0]!["to"]!.AsArray().Select(t => t!["email"]!.GetValue<string>()).ToList();

    public string PlainText => Content("text/plain");

    public string Html => Content("text/html");

    /// <summary>The personal reply link in the plain-text body.</summary>
    public string ReplyLink => Regex.Match(PlainText, @"https?://\S+/api/reply/[A-Za-z0-9_-]+").Value;

    string CustomArg(string name) => Payload["custom_args"]![name]!.GetValue<string>();

    string Content(string type) => Payload["content"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == type)!["value"]!.GetValue<string>();
}

/// <summary>Reads the mail folder a local host writes its e-mails to.</summary>
public sealed class MailFolder(string folder)
{
    public string Folder { get; } = folder;

    public IReadOnlyList<MailFolderMessage> Messages() =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal)
                .Select(path => new MailFolderMessage(Path.GetFileName(path), JsonNode.Parse(File.ReadAllText(path))!.AsObject()))
                .ToList()
            : [];

    public IReadOnlyList<MailFolderMessage> For(string roundId, string kind = "Request") =>
        Messages().Where(m => m.RoundId == roundId && m.Kind == kind).ToList();

    /// <summary>Waits until the round's e-mails of a kind have all been written.</summary>
    public Task<IReadOnlyList<MailFolderMessage>> WaitForAsync(string roundId, int count, string kind = "Request", TimeSpan? timeout = null) =>
        WaitUntilAsync(roundId, kind, messages => messages.Count >= count, $"{count} {kind} e-mail(s)", timeout);

    /// <summary>Waits until the round's e-mails of a kind are as expected.</summary>
    public async Task<IReadOnlyList<MailFolderMessage>> WaitUntilAsync(
        string roundId, string kind, Func<IReadOnlyList<MailFolderMessage>, bool> expected, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var messages = For(roundId, kind);
            if (expected(messages))
            {
                return messages;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Expected {what} for round {roundId}, found {messages.Count} {kind} e-mail(s) in {Folder}.");
            }

            await Task.Delay(200);
        }
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
