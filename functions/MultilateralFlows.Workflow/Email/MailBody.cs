using System.Net;
using System.Text;

namespace MultilateralFlows.Email;

/// <summary>Subject and bodies of one e-mail.</summary>
public sealed record EmailContent(string Subject, string PlainText, string Html);

/// <summary>
/// Builds the plain-text and the HTML body of an e-mail from the same blocks, so the two always say the same thing and
/// every value is HTML-encoded in exactly one place: templates never write markup themselves.
/// </summary>
public sealed class MailBody(string language)
{
    readonly StringBuilder text = new();
    readonly StringBuilder html = new();

    public MailBody Paragraph(string value)
    {
        text.AppendLine(value).AppendLine();
        html.Append("<p>").Append(E(value)).AppendLine("</p>");
        return this;
    }

    public MailBody Note(string value)
    {
        text.AppendLine(value).AppendLine();
        html.Append("<p style=\"color:#555;font-size:90%\">").Append(E(value)).AppendLine("</p>");
        return this;
    }

    public MailBody Facts(IEnumerable<(string Label, string Value)> facts)
    {
        html.AppendLine("<table cellpadding=\"4\" style=\"border-collapse:collapse\">");
        foreach (var (label, value) in facts)
        {
            text.Append(label).Append(": ").AppendLine(value);
            html.Append("<tr><th align=\"left\" valign=\"top\">").Append(E(label)).Append("</th><td>").Append(E(value)).AppendLine("</td></tr>");
        }

        text.AppendLine();
        html.AppendLine("</table>");
        return this;
    }

    public MailBody List(string heading, IReadOnlyCollection<string> entries)
    {
        if (entries.Count == 0)
        {
            return this;
        }

        text.AppendLine(heading);
        html.Append("<p>").Append(E(heading)).AppendLine("</p><ul>");
        foreach (var entry in entries)
        {
            text.Append("- ").AppendLine(entry);
            html.Append("<li>").Append(E(entry)).AppendLine("</li>");
        }

        text.AppendLine();
        html.AppendLine("</ul>");
        return this;
    }

    /// <summary>A table with a header row; in plain text each row becomes a paragraph.</summary>
    public MailBody Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        html.AppendLine("<table cellpadding=\"4\" border=\"1\" style=\"border-collapse:collapse\"><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th align=\"left\">").Append(E(header)).Append("</th>");
        }

        html.AppendLine("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < headers.Count; i++)
            {
                var cell = i < row.Count ? row[i] : null;
                html.Append("<td valign=\"top\" style=\"white-space:pre-wrap\">").Append(E(cell ?? "")).Append("</td>");
                if (!string.IsNullOrEmpty(cell))
                {
                    text.Append(i == 0 ? "" : "  ").Append(i == 0 ? "" : headers[i] + ": ").AppendLine(cell);
                }
            }

            html.AppendLine("</tr>");
            text.AppendLine();
        }

        html.AppendLine("</tbody></table>");
        return this;
    }

    public MailBody Link(string intro, string label, string url)
    {
        text.AppendLine(intro).AppendLine(url).AppendLine();
        html.Append("<p>").Append(E(intro)).Append("<br><a href=\"").Append(E(url)).Append("\">").Append(E(label)).AppendLine("</a></p>");
        return this;
    }

    public EmailContent Build(string subject) =>
        new(
            OneLine(subject),
            text.ToString().TrimEnd() + Environment.NewLine,
            $"<!DOCTYPE html>\n<html lang=\"{E(language)}\"><head><meta charset=\"utf-8\"><title>{E(OneLine(subject))}</title></head>\n"
            + $"<body style=\"font-family:system-ui,sans-serif;line-height:1.45;max-width:46em\">\n{html}</body></html>\n");

    /// <summary>A subject is one line, whatever a title contains.</summary>
    static string OneLine(string value) => string.Join(' ', value.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    static string E(string value) => WebUtility.HtmlEncode(value);
}
