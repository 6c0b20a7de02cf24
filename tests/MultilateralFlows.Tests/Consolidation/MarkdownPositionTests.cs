using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Consolidation;

/// <summary>
/// The Markdown position read back by a maintained Markdown parser (Markdig with its advanced extensions, the most a
/// reader's renderer is likely to know): whatever a person wrote in a title, an item or a remark, the document has the
/// same blocks and inline structure as with harmless text, and the text reads back exactly as written.
/// </summary>
public sealed class MarkdownPositionTests
{
    static readonly MarkdownPipeline Renderer = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static TheoryData<string> Hostile() =>
    [
        "&lt;b&gt; &amp; AT&T &#65; &copy;",
        "see https://evil.example/x, www.evil.example and mailto:me@evil.example or me@evil.example",
        "~~struck~~ ~single~ ==marked== ++inserted++ ^sup^ H~2~O",
        "$x^2$ and $$y$$",
        "# heading",
        "1. first",
        "2) second",
        "- item",
        "+ item",
        "* item",
        "- [ ] task",
        "    indented code",
        "\tindented code",
        "```",
        "~~~",
        "> quote",
        "---",
        "===",
        "***",
        "<b>bold</b> <!-- comment --> <script>alert(1)</script>",
        "[link](https://evil.example) ![image](https://evil.example/i.png) [^1]",
        "*em* _em_ **strong** __strong__ `code`",
        "| a | b |",
        @"back\slash \* \",
        "{#id .class} text {.attr}",
        "Term\n: definition",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void ToMarkdown_HostileTextInEveryField_SameStructureAndTheTextReadsBackAsWritten(string text)
    {
        var singleLine = text.Replace('\n', ' ');
        var hostile = Render(singleLine, $"Line one\n{text}\n{text}", text);
        var harmless = Render("Title", "Line one\nline two\nline three", text.Contains('\n', StringComparison.Ordinal) ? "Remarks.\nMore." : "Remarks.");

        Assert.Equal(Structure(harmless), Structure(hostile));
        var plain = PlainText(hostile);
        Assert.Contains(singleLine, plain, StringComparison.Ordinal);
        Assert.All(text.Split('\n'), line => Assert.Contains(line, plain, StringComparison.Ordinal));
    }

    static MarkdownDocument Render(string title, string itemText, string remarks)
    {
        var round = Soia("education") with
        {
            Title = title,
            Items = [new AgendaItem("5.I", "Budget", itemText)],
        };
        var position = PositionAssembler.Assemble(round, Direct(round), [Reply("education", ("5.I", Stance.Objection, remarks))],
            new Dictionary<string, string>(), 1, PositionStatus.Draft, Now);
        return Markdown.Parse(PositionRenderer.ToMarkdown(position), Renderer);
    }

    /// <summary>Every block and every inline that is not plain text, in document order.</summary>
    static List<string> Structure(MarkdownDocument document) =>
        document.Descendants().Where(node => node is Block || node is Inline and not (LiteralInline or HtmlEntityInline or LineBreakInline))
            .Select(node => node switch
            {
                HeadingBlock heading => $"h{heading.Level}",
                HtmlInline html => $"html {html.Tag}",
                _ => node.GetType().Name,
            })
            .ToList();

    /// <summary>The text of the document as a reader sees it: literals and decoded character references.</summary>
    static string PlainText(MarkdownDocument document)
    {
        var text = new StringBuilder();
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case LiteralInline literal:
                    text.Append(literal.Content);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded);
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline or TableRow or ParagraphBlock:
                    text.Append('\n');
                    break;
            }
        }

        return text.ToString();
    }
}
