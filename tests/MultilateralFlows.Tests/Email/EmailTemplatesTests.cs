using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Tests.Email;

/// <summary>The e-mails' words: each language, Brussels time, and nothing user-written reaching the HTML unencoded.</summary>
public sealed class EmailTemplatesTests
{
    const string Link = "https://flows.example/api/reply/abc_DEF-123?x=1&y=2";
    const string Hostile = "<script>alert('x')</script> & \"co\"";

    static RoundDefinition Round(string title = "UNESCO Executive Board", DateTimeOffset? deadline = null, bool silence = false) => new(
        "round-1",
        Procedure.SOIA,
        title,
        "UNESCO",
        MeetingKind.Questionnaire,
        [new AgendaItem("5.I", "Draft programme and budget", "Text"), new AgendaItem("12", "Neurotechnology", "Text")],
        ["education"],
        [],
        deadline ?? new DateTimeOffset(2026, 12, 15, 16, 0, 0, TimeSpan.Zero),
        silence,
        "coordinator@vlaanderen.example",
        DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("nl", "[SOIA] Consultatie: UNESCO Executive Board — antwoord tegen 15 december 2026 om 17:00 (Brusselse tijd)", "Vragenlijst", "Geachte collega's,")]
    [InlineData("fr", "[SOIA] Consultation : UNESCO Executive Board — réponse pour le 15 décembre 2026 à 17h00 (heure de Bruxelles)", "Questionnaire", "Madame, Monsieur,")]
    [InlineData("de", "[SOIA] Konsultation: UNESCO Executive Board — Antwort bis 15. Dezember 2026, 17:00 Uhr (Brüsseler Zeit)", "Fragebogen", "Sehr geehrte Damen und Herren,")]
    [InlineData("en", "[SOIA] Consultation: UNESCO Executive Board — reply by 15 December 2026 at 17:00 (Brussels time)", "Questionnaire", "Dear colleagues,")]
    public void Request_ParticipantLanguage_WrittenInItWithTheDeadlineInBrusselsTime(string language, string subject, string kind, string greeting)
    {
        var mail = EmailTemplates.Request(Round(), new Addressee("education", "Education and Training", language), Link);

        Assert.Equal(subject, mail.Subject);
        Assert.StartsWith(greeting, mail.PlainText, StringComparison.Ordinal);
        Assert.Contains(kind, mail.PlainText, StringComparison.Ordinal);
        Assert.Contains(Link, mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("href=\"https://flows.example/api/reply/abc_DEF-123?x=1&amp;y=2\"", mail.Html, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\">", mail.Html, StringComparison.Ordinal);
        Assert.Contains("5.I. Draft programme and budget", mail.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_UnknownLanguage_English()
    {
        var mail = EmailTemplates.Request(Round(), new Addressee("x", "X", "es"), Link);

        Assert.StartsWith("[SOIA] Consultation: ", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_SummerDeadline_ConvertedWithSummerTime()
    {
        var mail = EmailTemplates.Request(Round(deadline: new DateTimeOffset(2026, 6, 30, 15, 0, 0, TimeSpan.Zero)), new Addressee("x", "X", "nl"), Link);

        Assert.Contains("30 juni 2026 om 17:00 (Brusselse tijd)", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_HostileTitleAndName_EncodedInHtmlKeptInTextAndSubjectOnOneLine()
    {
        var round = Round(title: Hostile + "\r\nBcc: someone@else.example") with
        {
            Items = [new AgendaItem("1", "<img src=x onerror=alert(1)>", "t")],
        };

        var mail = EmailTemplates.Request(round, new Addressee("x", "<b>Name</b>", "en"), Link);

        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Name</b>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;", mail.Html, StringComparison.Ordinal);
        Assert.Contains(Hostile, mail.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', mail.Subject);
        Assert.DoesNotContain('\r', mail.Subject);
    }

    [Theory]
    [InlineData("nl", "[SOIA, ronde 2] Consultatie:", "Dit is ronde 2")]
    [InlineData("fr", "[SOIA, tour 2] Consultation :", "Ceci est le tour 2")]
    [InlineData("de", "[SOIA, Runde 2] Konsultation:", "Dies ist Runde 2")]
    [InlineData("en", "[SOIA, round 2] Consultation:", "This is round 2")]
    public void Request_SecondIteration_SaysSoAndListsOnlyTheOpenItems(string language, string subject, string intro)
    {
        var round = Round();

        var mail = EmailTemplates.Request(round, new Addressee("x", "X", language), Link, 2, [round.Items[0]]);

        Assert.StartsWith(subject, mail.Subject, StringComparison.Ordinal);
        Assert.Contains(intro, mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("5.I. Draft programme and budget", mail.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Neurotechnology", mail.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_SilenceProcedure_SaysSilenceCountsAsAgreement()
    {
        var with = EmailTemplates.Request(Round(silence: true), new Addressee("x", "X", "nl"), Link);
        var without = EmailTemplates.Request(Round(silence: false), new Addressee("x", "X", "nl"), Link);

        Assert.Contains("stilzwijgende procedure", with.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("stilzwijgende procedure", without.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Herinnering 2:")]
    [InlineData("fr", "Rappel 2 :")]
    [InlineData("de", "Erinnerung 2:")]
    [InlineData("en", "Reminder 2:")]
    public void Reminder_NumberInTheSubject(string language, string start)
    {
        var mail = EmailTemplates.Reminder(Round(), new Addressee("x", "X", language), Link, 2);

        Assert.StartsWith(start, mail.Subject, StringComparison.Ordinal);
        Assert.Contains(Link, mail.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Receipt_StancesInTheLanguageRemarksEncoded()
    {
        var contribution = new Contribution("x", 2, new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero),
            [new ItemReply("5.I", Stance.AgreeWithRemarks, "Keep <heritage> & culture"), new ItemReply("12", Stance.NotCompetent, null)]);

        var mail = EmailTemplates.Receipt(Round(), new Addressee("x", "X", "de"), Link, contribution);

        Assert.Equal("Eingangsbestätigung: UNESCO Executive Board (Version 2)", mail.Subject);
        Assert.Contains("am 1. Dezember 2026, 10:30 Uhr (Brüsseler Zeit) erhalten (Version 2). Sie ersetzt Ihre frühere Antwort.", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("Einverstanden mit Anmerkungen", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("Nicht zuständig", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("Keep &lt;heritage&gt; &amp; culture", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Keep <heritage> & culture", mail.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Geen akkoord (geen antwoord, of niet bevoegd)")]
    [InlineData("fr", "Pas d'accord (pas de réponse, ou pas compétent)")]
    [InlineData("de", "Keine Einigung (keine Antwort oder nicht zuständig)")]
    [InlineData("en", "No agreement (no reply, or not competent)")]
    public void PositionReady_AnItemNobodyAgreedOn_CountedApartFromConsensus(string language, string noAgreement)
    {
        var round = Round();
        var reply = new Contribution(
            "education", 1, DateTimeOffset.UtcNow, [new ItemReply("5.I", Stance.Agree, null), new ItemReply("12", Stance.NotCompetent, null)]);
        var position = PositionAssembler.Assemble(
            round, [new Respondent("education", null)], [reply], new Dictionary<string, string>(), 1, PositionStatus.Draft, DateTimeOffset.UtcNow);

        var mail = EmailTemplates.PositionReady(round, language, position, "https://flows.example/position");

        var consensus = EmailTexts.For(language).Consensus;
        Assert.Contains($"{noAgreement}: 1 / 2", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{consensus}: 1 / 2", mail.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Niet afgeleverd: Education and Training — UNESCO Executive Board")]
    [InlineData("fr", "Non distribué : Education and Training — UNESCO Executive Board")]
    [InlineData("de", "Nicht zugestellt: Education and Training — UNESCO Executive Board")]
    [InlineData("en", "Not delivered: Education and Training — UNESCO Executive Board")]
    public void Undeliverable_NamesTheParticipantAndTheReasonEncoded(string language, string subject)
    {
        var problem = new DeliveryProblem("education", "Education and Training", ["bad@@address"], MessageKind.Request, 1, "SendGrid answered 400: <invalid>");

        var mail = EmailTemplates.Undeliverable(Round(), language, problem, "https://flows.example/api/rounds/round-1");

        Assert.Equal(subject, mail.Subject);
        Assert.Contains("bad@@address", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("SendGrid answered 400: &lt;invalid&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains("https://flows.example/api/rounds/round-1", mail.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryLanguage_HasTwelveMonthsAndDistinctWording()
    {
        var firstOfEachMonth = Enumerable.Range(1, 12).Select(m => new DateTimeOffset(2026, m, 1, 12, 0, 0, TimeSpan.Zero)).ToList();

        Assert.All(EmailTexts.All, t => Assert.Equal(12, firstOfEachMonth.Select(t.Format).Distinct().Count()));
        Assert.Equal(4, EmailTexts.All.Select(t => t.Greeting).Distinct().Count());
        Assert.Equal(4, EmailTexts.All.Select(t => t.Language).Distinct().Count());
    }
}
