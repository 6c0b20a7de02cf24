using Microsoft.Extensions.Options;
using MultilateralFlows.Email;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Rounds.Activities;

/// <summary>E-mails the round's coordinator (a draft to review, the final position), once per notice.</summary>
public sealed class NotifyCoordinator(RoundStore rounds, IEmailSender sender, IOptions<LinkOptions> links) : IWorkflowActivity<CoordinatorNotice, bool>
{
    public const string Recipient = "coordinator";

    public async Task<bool> RunAsync(CoordinatorNotice input, CancellationToken cancellationToken = default)
    {
        var kind = $"{MessageKind.CoordinatorNotice}-{input.Kind}";
        if (await rounds.GetEmailAsync(input.RoundId, Recipient, kind, input.Sequence, cancellationToken) is not null)
        {
            return false;
        }

        var round = await rounds.GetAsync(input.RoundId, cancellationToken)
            ?? throw new InvalidOperationException($"Round {input.RoundId} is not stored.");
        var link = $"{links.Value.RoundUrl(input.RoundId)}/position?format=html";
        var content = EmailTemplates.ForCoordinator(input, round.Definition, link);
        var receipt = await sender.SendAsync(
            new EmailMessage(input.RoundId, Recipient, MessageKind.CoordinatorNotice, input.Sequence, [round.Definition.CoordinatorEmail], content.Subject, content.PlainText, content.Html),
            cancellationToken);
        await rounds.RecordEmailAsync(input.RoundId, Recipient, kind, input.Sequence, receipt.ProviderMessageId, cancellationToken);
        return true;
    }
}
