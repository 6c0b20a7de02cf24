using System.Net;
using System.Text;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Email;

/// <summary>Subject and bodies of one e-mail.</summary>
public sealed record EmailContent(string Subject, string PlainText, string Html);

/// <summary>The e-mails participants receive. Everything user-written is HTML-encoded in the HTML body.</summary>
public static class EmailTemplates
{
    public static EmailContent ForParticipant(MessageKind kind, RoundDefinition round, RequestRow request, string link)
    {
        var deadline = BrusselsTime.Format(round.Deadline);
        var subject = kind switch
        {
            MessageKind.Reminder => $"Reminder: your reply on '{round.Title}' is due {deadline}",
            MessageKind.Receipt => $"Received: your reply on '{round.Title}'",
            _ => $"[{round.Procedure}] Consultation: {round.Title} — reply by {deadline}",
        };
        var intro = kind switch
        {
            MessageKind.Reminder => "We have not yet received your reply to this consultation round.",
            MessageKind.Receipt => "Thank you: your reply to this consultation round has been recorded.",
            _ => $"You are asked for your position in a {round.Procedure} consultation round.",
        };

        var text = new StringBuilder()
            .AppendLine($"Dear colleague of {request.Name},")
            .AppendLine()
            .AppendLine(intro)
            .AppendLine()
            .AppendLine($"Dossier: {round.Title}")
            .AppendLine($"Organisation: {round.Organisation}")
            .AppendLine($"Kind: {round.Kind}")
            .AppendLine($"Items: {round.Items.Count}")
            .AppendLine($"Deadline: {deadline}")
            .AppendLine()
            .AppendLine("Reply per item through your personal link (you can amend your reply until the deadline):")
            .AppendLine(link)
            .AppendLine()
            .AppendLine("This link is personal to your organisation: do not forward it.")
            .ToString();

        static string E(string value) => WebUtility.HtmlEncode(value);
        var html = $"""
            <!DOCTYPE html><html><body style="font-family:system-ui,sans-serif;line-height:1.45">
            <p>Dear colleague of {E(request.Name)},</p>
            <p>{E(intro)}</p>
            <table cellpadding="4">
            <tr><th align="left">Dossier</th><td>{E(round.Title)}</td></tr>
            <tr><th align="left">Organisation</th><td>{E(round.Organisation)}</td></tr>
            <tr><th align="left">Kind</th><td>{E(round.Kind.ToString())}</td></tr>
            <tr><th align="left">Items</th><td>{round.Items.Count}</td></tr>
            <tr><th align="left">Deadline</th><td>{E(deadline)}</td></tr>
            </table>
            <p><a href="{E(link)}">Open the reply form</a> — you can amend your reply until the deadline.</p>
            <p style="color:#555">This link is personal to your organisation: do not forward it.</p>
            </body></html>
            """;
        return new EmailContent(subject, text, html);
    }

    public static EmailContent ForCoordinator(CoordinatorNotice notice, RoundDefinition round, string positionLink)
    {
        var (subject, intro) = notice.Kind switch
        {
            NoticeKind.PositionFinal => ($"Final position: {round.Title}", $"The position (version {notice.Sequence}) was approved as final."),
            _ => ($"Draft position ready for review: {round.Title}", $"Draft version {notice.Sequence} of the consolidated position is ready for your review: approve it, or reopen the divergent items."),
        };
        var text = $"{intro}\n\nDossier: {round.Title}\nOrganisation: {round.Organisation}\nPosition: {positionLink}\n";
        var html = $"<!DOCTYPE html><html><body style=\"font-family:system-ui,sans-serif\"><p>{WebUtility.HtmlEncode(intro)}</p>" +
                   $"<p>Dossier: {WebUtility.HtmlEncode(round.Title)}<br>Organisation: {WebUtility.HtmlEncode(round.Organisation)}</p>" +
                   $"<p><a href=\"{WebUtility.HtmlEncode(positionLink)}\">Open the position</a></p></body></html>";
        return new EmailContent(subject, text, html);
    }
}
