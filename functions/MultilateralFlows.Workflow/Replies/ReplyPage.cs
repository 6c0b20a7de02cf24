using System.Globalization;
using System.Net;
using System.Text;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Replies;

/// <summary>
/// The pages behind a reply link: the form (works without JavaScript, fits a phone), the confirmation, and the
/// notices for a closed round or an invalid link. Every user-written text is HTML-encoded.
/// </summary>
public static class ReplyPage
{
    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Form(
        RoundRecord record,
        string participantName,
        IReadOnlyDictionary<string, ItemReply> answers,
        int currentVersion,
        ReplyPageTexts texts,
        IReadOnlyDictionary<string, string[]>? errors = null,
        string? seat = null,
        IReadOnlyDictionary<string, Participant>? directory = null)
    {
        var round = record.Definition;
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture,
            $"<p class=\"meta\">{E(texts.Consultation(round.Procedure.ToString()))} · " +
            $"{E(round.Organisation)} · {E(texts.Mail.KindName(round.Kind))}</p>");
        body.AppendLine(CultureInfo.InvariantCulture, $"<h1>{E(round.Title)}</h1>");
        body.AppendLine(CultureInfo.InvariantCulture, $"<p>{texts.ReplyFor(E(participantName), E(texts.Mail.Format(round.Deadline)))}</p>");
        if (record.Iteration > 1)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(texts.Iteration(record.Iteration))}</p>");
        }

        if (currentVersion > 0)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(texts.Prefilled(currentVersion))}</p>");
        }

        if (errors is { Count: > 0 })
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"<div class=\"errors\" role=\"alert\"><p><strong>{E(texts.NotRecorded)}</strong></p><ul>");
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
            AppendCompetence(body, item, texts, seat, directory);
            body.AppendLine(CultureInfo.InvariantCulture, $"<div class=\"draft\">{E(item.Text)}</div>");
            body.AppendLine("<div class=\"choices\">");
            foreach (var stance in Enum.GetValues<Stance>())
            {
                var (label, hint) = (texts.StanceLabel(stance), texts.StanceHint(stance));
                var id = $"stance-{item.Id}-{stance}";
                var isChecked = answer?.Stance == stance ? " checked" : "";
                body.AppendLine(CultureInfo.InvariantCulture,
                    $"<label for=\"{E(id)}\"><input type=\"radio\" id=\"{E(id)}\" name=\"" +
                    $"{ReplySubmission.StanceField}{E(item.Id)}\" value=\"{stance}\" required{isChecked}> <span><strong>" +
                    $"{E(label)}</strong><br><small>{E(hint)}</small></span></label>");
            }

            body.AppendLine("</div>");
            body.AppendLine(CultureInfo.InvariantCulture,
                $"<label class=\"remarks\" for=\"remarks-{E(item.Id)}\">{E(texts.RemarksLabel)}</label><textarea id=\"remarks-" +
                $"{E(item.Id)}\" name=\"{ReplySubmission.RemarksField}{E(item.Id)}\" rows=\"4\" maxlength=\"{ReplySubmission.MaxRemarksLength}\">" +
                $"{E(answer?.Remarks)}</textarea>");
            body.AppendLine("</fieldset>");
        }

        body.AppendLine(CultureInfo.InvariantCulture, $"<button type=\"submit\">{E(currentVersion > 0 ? texts.SendAmended : texts.Send)}</button>");
        body.AppendLine("</form>");
        return Layout(round.Title, body.ToString(), texts.Language);
    }

    /// <summary>
    /// Who is competent for the item and who leads, where the round says so, and a word to a participant that is not
    /// competent (<paramref name="seat"/>: the round participant it answers for), whose answer is shown but not counted.
    /// </summary>
    static void AppendCompetence(
        StringBuilder body, AgendaItem item, ReplyPageTexts texts, string? seat, IReadOnlyDictionary<string, Participant>? directory)
    {
        var lines = new List<string?>
        {
            // Mixed is what every item is that says nothing: said only next to a lead.
            item.Competence != Competence.Mixed || item.LeadEntity is not null ? texts.Competence(item.Competence) : null,
            item.LeadEntity is { } lead ? texts.Lead(directory?.GetValueOrDefault(lead)?.Name ?? lead) : null,
            seat is not null && !Competences.IsCompetent(item.Competence, seat) ? texts.NotCompetent : null,
        };
        if (lines.OfType<string>().ToList() is { Count: > 0 } said)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"<p class=\"competence\">{string.Join(" ", said.Select(E))}</p>");
        }
    }

    public static string Confirmation(
        RoundRecord record,
        string participantName,
        int version,
        DateTimeOffset submittedAt,
        IReadOnlyList<ItemReply> replies,
        ReplyPageTexts texts)
    {
        var round = record.Definition;
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"<div class=\"ok\" role=\"status\"><h1>{E(texts.Recorded)}</h1>");
        body.AppendLine(CultureInfo.InvariantCulture,
            $"<p>{texts.RecordedDetail(E(participantName), E(round.Title), version, E(texts.Mail.Format(submittedAt)))}</p></div>");
        body.AppendLine(CultureInfo.InvariantCulture,
            $"<table><thead><tr><th>{E(texts.Item)}</th><th>{E(texts.Stance)}</th><th>{E(texts.Remarks)}</th></tr></thead><tbody>");
        foreach (var item in round.Items.Where(i => record.IsOpen(i.Id)))
        {
            var reply = replies.First(r => r.ItemId == item.Id);
            body.AppendLine(CultureInfo.InvariantCulture,
                $"<tr><td>{E(item.Title)}</td><td>{E(texts.StanceLabel(reply.Stance))}</td><td class=\"pre\">{E(reply.Remarks)}</td></tr>");
        }

        body.AppendLine("</tbody></table>");
        body.AppendLine(CultureInfo.InvariantCulture, $"<p>{E(texts.AmendUntil(texts.Mail.Format(round.Deadline)))}</p>");
        return Layout(texts.Recorded, body.ToString(), texts.Language);
    }

    public static string Closed(RoundDefinition round, ReplyPageTexts texts) => Layout(
        texts.ClosedTitle,
        $"<h1>{E(texts.ClosedTitle)}</h1><p>{texts.ClosedText(E(round.Title))}</p>",
        texts.Language);

    /// <summary>Nothing is known about whoever holds an invalid link, so the page says it in the four languages.</summary>
    public static string InvalidLink() => Layout(
        "Link not valid",
        "<h1>This reply link is not valid</h1>" +
        "<p>Check that you opened the complete link from the e-mail. If it still does not work, ask the coordinator for a new one.</p>" +
        "<p lang=\"nl\">Deze antwoordlink is niet geldig. Controleer of u de volledige link uit de e-mail hebt geopend.</p>" +
        "<p lang=\"fr\">Ce lien de réponse n'est pas valide. Vérifiez que vous avez ouvert le lien complet de l'e-mail.</p>" +
        "<p lang=\"de\">Dieser Antwortlink ist nicht gültig. Prüfen Sie, ob Sie den vollständigen Link aus der E-Mail geöffnet haben.</p>",
        "en");

    // CSS rules longer than a line are broken between declarations: whitespace there means nothing to the browser.
    static string Layout(string title, string body, string language) => $$"""
        <!DOCTYPE html>
        <html lang="{{language}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer"><title>{{E(title)}} · MultilateralFlows</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f;line-height:1.5;
          overflow-wrap:break-word}
        main{max-width:46rem;margin:0 auto;padding:1rem}
        h1{font-size:1.4rem;margin:.25rem 0 1rem}
        .meta{color:#555;font-size:.9rem;margin:0}
        fieldset{background:#fff;border:1px solid #d0d4da;border-radius:8px;margin:0 0 1rem;padding:1rem}
        legend{font-weight:600;padding:0 .25rem}
        .draft{white-space:pre-wrap;background:#f8f9fa;border-left:4px solid #6b7a90;padding:.5rem .75rem;margin-bottom:.75rem}
        .choices{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem}
        .choices label{display:flex;gap:.5rem;align-items:flex-start;border:1px solid #d0d4da;border-radius:6px;padding:.5rem;
          cursor:pointer;background:#fff}
        .choices input{flex:none;margin-top:.3rem;width:1.1rem;height:1.1rem}
        .remarks{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
        textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #aab;border-radius:6px}
        button{font:inherit;font-weight:600;background:#1f4e99;color:#fff;border:0;border-radius:6px;padding:.75rem 1.5rem;width:100%;max-width:20rem}
        .errors{background:#fdecea;border:1px solid #e0a39d;border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}
        .ok{background:#e7f4ea;border:1px solid #9cc9a8;border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}
        .note{background:#eef3fb;border-radius:6px;padding:.5rem .75rem}
        .competence{color:#444;font-size:.9rem;margin:0 0 .5rem}
        table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff}
        th,td{border:1px solid #d0d4da;padding:.4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
        th:nth-child(1){width:30%}th:nth-child(2){width:27%}.pre{white-space:pre-wrap}
        </style></head>
        <body><main>
        {{body}}
        </main></body></html>
        """;
}
