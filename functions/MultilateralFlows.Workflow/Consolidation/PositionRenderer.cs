using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MultilateralFlows.Http;

namespace MultilateralFlows.Consolidation;

/// <summary>The formats a position is stored and served in.</summary>
public enum PositionFormat
{
    Markdown,
    Html,
    Json,
}

/// <summary>Renders a position as Markdown, HTML (every user-written text encoded) and JSON.</summary>
public static class PositionRenderer
{
    public static string ContentType(PositionFormat format) => format switch
    {
        PositionFormat.Markdown => "text/markdown; charset=utf-8",
        PositionFormat.Html => "text/html; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    public static string FileExtension(PositionFormat format) => format switch
    {
        PositionFormat.Markdown => "md",
        PositionFormat.Html => "html",
        _ => "json",
    };

    /// <summary>The position in a format; Markdown and HTML in the language of <paramref name="texts"/> (English without).</summary>
    public static async Task<string> RenderAsync(PositionDocument position, PositionFormat format, PositionTexts? texts = null) => format switch
    {
        PositionFormat.Markdown => ToMarkdown(position, texts ?? PositionTexts.English),
        PositionFormat.Html => await ToHtmlAsync(position, texts ?? PositionTexts.English),
        _ => ToJson(position),
    };

    public static string ToJson(PositionDocument position)
    {
        // Written into one buffer of about the final size: growing by doubling copies tens of megabytes for a large round.
        var buffer = new ArrayBufferWriter<byte>(EstimatedLength(position) * 5 / 4);
        using (var writer = new Utf8JsonWriter(
            buffer,
            new JsonWriterOptions { Indented = true, Encoder = WorkflowJson.Indented.Encoder, MaxDepth = WorkflowJson.Indented.MaxDepth }))
        {
            JsonSerializer.Serialize(writer, position, WorkflowJson.Indented);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string ToMarkdown(PositionDocument position) => ToMarkdown(position, PositionTexts.English);

    /// <summary>The position as Markdown, its fixed words in the language of <paramref name="texts"/>.</summary>
    public static string ToMarkdown(PositionDocument position, PositionTexts texts)
    {
        var md = new StringBuilder(EstimatedLength(position));
        md.Append("# ").AppendLine(MarkdownText(position.Title)).AppendLine();
        Field(md, texts.Procedure, $"{position.Procedure} ({texts.ProcedureOutcome(position)})");
        Field(md, texts.Organisation, MarkdownText(position.Organisation));
        Field(md, texts.Kind, texts.KindName(position.Kind));
        Field(md, texts.Deadline, texts.Date(position.Deadline));
        Field(md, texts.Status, texts.StatusLine(position));
        if (position.SilenceProcedure)
        {
            Field(md, texts.Silence, texts.SilenceText);
        }

        Field(md, texts.Summary, texts.SummaryOf(position));
        var number = 0;
        foreach (var item in position.Items)
        {
            number++;
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {number}. {MarkdownText(item.Title)} — {texts.OutcomeName(item.Outcome)}");
            md.AppendLine();
            md.Append(CultureInfo.InvariantCulture,
                $"{texts.Item} `{item.ItemId}` · {texts.Competence}: {texts.CompetenceName(item.Competence)}");
            if (item.LeadEntity is { } lead)
            {
                md.Append(CultureInfo.InvariantCulture, $" · {texts.Lead}: ").Append(MarkdownText(item.LeadName ?? lead))
                    .Append(CultureInfo.InvariantCulture, $" (`{lead}`)");
            }

            md.AppendLine(".");
            md.AppendLine();
            AppendQuote(md, item.Text);
            md.AppendLine();
            if (item.Settlement is { } settlement)
            {
                md.Append("**").Append(MarkdownText(texts.SettlementLabel(position, settlement))).AppendLine("**");
                md.AppendLine();
                if (settlement.Text is { } settled)
                {
                    AppendQuote(md, settled);
                    md.AppendLine();
                }
            }
            else if (item.Outcome == ItemOutcome.Divergence)
            {
                md.Append("**").Append(texts.NotSettled).AppendLine("**");
                md.AppendLine();
            }

            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {texts.Participant} | {texts.Stance} | {texts.Remarks} |");
            md.AppendLine("|---|---|---|");
            foreach (var stance in item.Stances)
            {
                AppendTableRow(md, "| ", stance, texts);
                foreach (var contributor in stance.Contributors ?? [])
                {
                    AppendTableRow(md, "| ↳ ", contributor, texts);
                }
            }

            md.AppendLine();
            md.AppendLine(item.Missing.Count == 0 ? texts.EveryoneReplied : texts.NoReplyFrom(string.Join(", ", item.Missing.Select(m => $"`{m}`"))));
        }

        return md.ToString();
    }

    /// <summary>
    /// One line of the list at the top: a label and its value. The fixed words come from our translations and are written
    /// as they are; the caller escapes whatever a person wrote.
    /// </summary>
    static void Field(StringBuilder md, string label, string value) => md.Append("- **").Append(label).Append(":** ").AppendLine(value);

    public static Task<string> ToHtmlAsync(PositionDocument position) => ToHtmlAsync(position, PositionTexts.English);

    /// <summary>The HTML page (<see cref="Pages.Position.PositionPage"/>) as a whole document, its fixed words in one language.</summary>
    public static Task<string> ToHtmlAsync(PositionDocument position, PositionTexts texts) =>
        ComponentHtml.DocumentAsync<Pages.Position.PositionPage>(new Dictionary<string, object?>
        {
            [nameof(Pages.Position.PositionPage.Position)] = position,
            [nameof(Pages.Position.PositionPage.Texts)] = texts,
        });

    static void AppendQuote(StringBuilder md, string text)
    {
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            md.Append("> ").AppendLine(MarkdownText(line));
        }
    }

    /// <summary>
    /// Every ASCII character that Markdown, GitHub's extensions or a common renderer's (Markdig's advanced set: tables,
    /// strikethrough, autolinks, math, attributes, footnotes, marked and inserted text) reads as syntax somewhere in a
    /// line: escaped with a backslash, which CommonMark defines for any ASCII punctuation, so it reads as itself. Colons
    /// and at signs too: no scheme or address in user text becomes a link.
    /// </summary>
    static readonly SearchValues<char> MarkdownSyntax = SearchValues.Create("\\`*_[]<>#|!&~:@$^+={}");

    /// <summary>Markdown syntax plus every line break <see cref="string.ReplaceLineEndings(string)"/> knows.</summary>
    static readonly SearchValues<char> MarkdownSyntaxAndLineBreaks = SearchValues.Create("\\`*_[]<>#|!&~:@$^+={}\r\n\f\u0085\u2028\u2029");

    /// <summary>Keeps one line of user text from being read as Markdown structure (blocks, links, HTML, emphasis).</summary>
    static string MarkdownText(string text) => AppendMarkdownText(new StringBuilder(text.Length + 8), text, inTableCell: false).ToString();

    /// <summary>
    /// Appends user text escaped as <see cref="MarkdownText"/> does; in a table cell, every line break becomes
    /// <c>&lt;br&gt;</c>. Outside a cell the text is one line, whose start could open a block: leading blanks (an
    /// indented code block) become character references, and a list marker or a setext underline is escaped. One pass
    /// straight into the document: remarks are most of a large position.
    /// </summary>
    static StringBuilder AppendMarkdownText(StringBuilder md, ReadOnlySpan<char> text, bool inTableCell)
    {
        if (!inTableCell)
        {
            text = AppendLineStart(md, text);
        }

        var special = inTableCell ? MarkdownSyntaxAndLineBreaks : MarkdownSyntax;
        while (text.IndexOfAny(special) is var next and >= 0)
        {
            AppendPlain(md, text[..next]);
            var c = text[next];
            if (c is '\r' or '\n' or '\f' or '\u0085' or '\u2028' or '\u2029')
            {
                md.Append("<br>");
                next += c == '\r' && next + 1 < text.Length && text[next + 1] == '\n' ? 2 : 1;
            }
            else
            {
                md.Append('\\').Append(c);
                next++;
            }

            text = text[next..];
        }

        AppendPlain(md, text);
        return md;
    }

    /// <summary>Leading blanks, then a list marker (<c>-</c>, <c>1.</c>, <c>1)</c>) at the start of a line; returns the rest.</summary>
    static ReadOnlySpan<char> AppendLineStart(StringBuilder md, ReadOnlySpan<char> text)
    {
        var blanks = 0;
        while (blanks < text.Length && text[blanks] is ' ' or '\t')
        {
            md.Append(text[blanks] == ' ' ? "&#32;" : "&#9;");
            blanks++;
        }

        text = text[blanks..];
        if (text.Length > 0 && text[0] == '-')
        {
            md.Append("\\-");
            return text[1..];
        }

        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits > 0 && digits < text.Length && text[digits] is '.' or ')')
        {
            md.Append(text[..digits]).Append('\\').Append(text[digits]);
            return text[(digits + 1)..];
        }

        return text;
    }

    /// <summary>Text with no syntax character in it; only <c>www.</c> is left to keep from being a link.</summary>
    static void AppendPlain(StringBuilder md, ReadOnlySpan<char> text)
    {
        while (text.IndexOf("www.", StringComparison.OrdinalIgnoreCase) is var www and >= 0)
        {
            md.Append(text[..(www + 3)]).Append("\\.");
            text = text[(www + 4)..];
        }

        md.Append(text);
    }

    static void AppendTableRow(StringBuilder md, string rowStart, ParticipantStance stance, PositionTexts texts)
    {
        md.Append(rowStart);
        AppendMarkdownText(md, stance.Name, inTableCell: true);
        md.Append(CultureInfo.InvariantCulture, $" (`{stance.Participant}`) | {texts.StanceLabel(stance)} | ");
        AppendMarkdownText(md, stance.Remarks ?? "", inTableCell: true);
        md.AppendLine(" |");
    }

    /// <summary>Roughly how long a rendering of the position is: enough to size its buffer once.</summary>
    static int EstimatedLength(PositionDocument position)
    {
        static long Of(ParticipantStance stance) => 160 + stance.Name.Length + (stance.Remarks?.Length ?? 0) + (stance.Contributors?.Sum(Of) ?? 0);
        var length = 4096 + position.Items.Sum(item =>
            1024 + item.Title.Length + item.Text.Length + (item.Settlement?.Text?.Length ?? 0) + item.Stances.Sum(Of));
        return (int)Math.Min(length * 11 / 10, Array.MaxLength / 2);
    }
}
