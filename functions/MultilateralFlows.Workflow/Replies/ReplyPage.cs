using System.Globalization;
using System.Net;
using System.Text;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Replies;

/// <summary>
/// The pages behind a reply link: the form (works without JavaScript, fits a phone), the confirmation, and the
/// notices for a closed round or an invalid link. Every user-written text is HTML-encoded.
/// </summary>
public static class ReplyPage
{
    static readonly (Stance Stance, string Label, string Hint)[] Choices =
    [
        (Stance.Agree, "Agree", "We agree with the draft as it stands."),
        (Stance.AgreeWithRemarks, "Agree with remarks", "We agree, with the remarks below."),
        (Stance.Objection, "Objection", "We object; the remarks explain why and what we propose."),
        (Stance.NotCompetent, "Not competent", "This item is outside our competence."),
    ];

    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Form(
        RoundRecord record,
        string participantName,
        IReadOnlyDictionary<string, ItemReply> answers,
        int currentVersion,
        IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var round = record.Definition;
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"meta\">{E(round.Procedure.ToString())} consultation · {E(round.Organisation)} · {E(KindLabel(round.Kind))}</p>");
        body.AppendLine(CultureInfo.InvariantCulture, $"<h1>{E(round.Title)}</h1>");
        body.AppendLine(CultureInfo.InvariantCulture, $"<p>Reply for <strong>{E(participantName)}</strong> by <strong>{E(BrusselsTime.Format(round.Deadline))}</strong>. You can come back through the same link and amend your reply until then.</p>");
        if (record.Iteration > 1)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"note\">Round {record.Iteration}: the coordinator reopened the item(s) below, on which positions diverged. Your earlier answer is filled in; change it or confirm it. The other items are settled.</p>");
        }

        if (currentVersion > 0)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"note\">Your reply (version {currentVersion}) is filled in below. Sending the form again records a new version; earlier versions are kept.</p>");
        }

        if (errors is { Count: > 0 })
        {
            body.AppendLine("<div class=\"errors\" role=\"alert\"><p><strong>Your reply was not recorded:</strong></p><ul>");
            foreach (var message in errors.Values.SelectMany(m => m))
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"<li>{E(message)}</li>");
            }

            body.AppendLine("</ul></div>");
        }

        body.AppendLine("<form method=\"post\">");
        var number = 0;
        foreach (var item in round.Items.Where(i => record.IsOpen(i.Id)))
        {
            number++;
            answers.TryGetValue(item.Id, out var answer);
            body.AppendLine(CultureInfo.InvariantCulture, $"<fieldset id=\"item-{E(item.Id)}\"><legend>{number}. {E(item.Title)}</legend>");
            body.AppendLine(CultureInfo.InvariantCulture, $"<div class=\"draft\">{E(item.Text)}</div>");
            body.AppendLine("<div class=\"choices\">");
            foreach (var (stance, label, hint) in Choices)
            {
                var id = $"stance-{item.Id}-{stance}";
                var isChecked = answer?.Stance == stance ? " checked" : "";
                body.AppendLine(CultureInfo.InvariantCulture,
                    $"<label for=\"{E(id)}\"><input type=\"radio\" id=\"{E(id)}\" name=\"{ReplySubmission.StanceField}{E(item.Id)}\" value=\"{stance}\" required{isChecked}> <span><strong>{E(label)}</strong><br><small>{E(hint)}</small></span></label>");
            }

            body.AppendLine("</div>");
            body.AppendLine(CultureInfo.InvariantCulture,
                $"<label class=\"remarks\" for=\"remarks-{E(item.Id)}\">Remarks (required with remarks or an objection)</label><textarea id=\"remarks-{E(item.Id)}\" name=\"{ReplySubmission.RemarksField}{E(item.Id)}\" rows=\"4\" maxlength=\"{ReplySubmission.MaxRemarksLength}\">{E(answer?.Remarks)}</textarea>");
            body.AppendLine("</fieldset>");
        }

        body.AppendLine(CultureInfo.InvariantCulture, $"<button type=\"submit\">{(currentVersion > 0 ? "Send amended reply" : "Send reply")}</button>");
        body.AppendLine("</form>");
        return Layout(round.Title, body.ToString());
    }

    public static string Confirmation(RoundDefinition round, string participantName, int version, DateTimeOffset submittedAt, IReadOnlyList<ItemReply> replies)
    {
        var body = new StringBuilder();
        body.AppendLine("<div class=\"ok\" role=\"status\"><h1>Thank you: your reply is recorded</h1>");
        body.AppendLine(CultureInfo.InvariantCulture, $"<p>Reply of <strong>{E(participantName)}</strong> on <strong>{E(round.Title)}</strong>, version {version}, received {E(BrusselsTime.Format(submittedAt))}.</p></div>");
        body.AppendLine("<table><thead><tr><th>Item</th><th>Stance</th><th>Remarks</th></tr></thead><tbody>");
        foreach (var item in round.Items)
        {
            var reply = replies.First(r => r.ItemId == item.Id);
            body.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{E(item.Title)}</td><td>{E(Label(reply.Stance))}</td><td class=\"pre\">{E(reply.Remarks)}</td></tr>");
        }

        body.AppendLine("</tbody></table>");
        body.AppendLine(CultureInfo.InvariantCulture, $"<p>You can amend your reply through the same link until {E(BrusselsTime.Format(round.Deadline))}.</p>");
        return Layout("Reply recorded", body.ToString());
    }

    public static string Closed(RoundDefinition round) => Layout(
        "Consultation closed",
        $"<h1>This consultation round is closed</h1><p>Replies on <strong>{E(round.Title)}</strong> are no longer accepted. Contact the coordinator if you need to add something.</p>");

    public static string InvalidLink() => Layout(
        "Link not valid",
        "<h1>This reply link is not valid</h1><p>Check that you opened the complete link from the e-mail. If it still does not work, ask the coordinator for a new one.</p>");

    public static string Label(Stance stance) => Choices.First(c => c.Stance == stance).Label;

    static string KindLabel(MeetingKind kind) => kind switch
    {
        MeetingKind.BoardMeeting => "Board meeting",
        MeetingKind.ExpertMeeting => "Expert meeting",
        MeetingKind.Report => "Report",
        _ => "Questionnaire",
    };

    static string Layout(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer"><title>{{E(title)}} · MultilateralFlows</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f;line-height:1.5}
        main{max-width:46rem;margin:0 auto;padding:1rem}
        h1{font-size:1.4rem;margin:.25rem 0 1rem}
        .meta{color:#555;font-size:.9rem;margin:0}
        fieldset{background:#fff;border:1px solid #d0d4da;border-radius:8px;margin:0 0 1rem;padding:1rem}
        legend{font-weight:600;padding:0 .25rem}
        .draft{white-space:pre-wrap;background:#f8f9fa;border-left:4px solid #6b7a90;padding:.5rem .75rem;margin-bottom:.75rem}
        .choices{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem}
        .choices label{display:flex;gap:.5rem;align-items:flex-start;border:1px solid #d0d4da;border-radius:6px;padding:.5rem;cursor:pointer;background:#fff}
        .choices input{flex:none;margin-top:.3rem;width:1.1rem;height:1.1rem}
        .remarks{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
        textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #aab;border-radius:6px}
        button{font:inherit;font-weight:600;background:#1f4e99;color:#fff;border:0;border-radius:6px;padding:.75rem 1.5rem;width:100%;max-width:20rem}
        .errors{background:#fdecea;border:1px solid #e0a39d;border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}
        .ok{background:#e7f4ea;border:1px solid #9cc9a8;border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}
        .note{background:#eef3fb;border-radius:6px;padding:.5rem .75rem}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d4da;padding:.4rem;text-align:left;vertical-align:top}.pre{white-space:pre-wrap}
        </style></head>
        <body><main>
        {{body}}
        </main></body></html>
        """;
}
