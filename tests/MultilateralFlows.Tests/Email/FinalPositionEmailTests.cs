using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Tests.Email;

/// <summary>The final position as the participants and the permanent representation receive it, in each of the four languages.</summary>
public sealed class FinalPositionEmailTests
{
    const string Hostile = "<script>alert('x')</script> & \"co\"";

    static RoundDefinition Round(string title = "UNESCO Executive Board") => new(
        "round-1",
        Procedure.COORMULTI,
        title,
        "UNESCO",
        MeetingKind.BoardMeeting,
        [new AgendaItem("5.I", "Draft programme and budget", "Text"), new AgendaItem("12", "Neurotechnology", "Text")],
        ["federal", "wallonia"],
        [],
        new DateTimeOffset(2026, 12, 15, 16, 0, 0, TimeSpan.Zero),
        SilenceProcedure: false,
        "coormulti@diplobel.fed.be",
        DateTimeOffset.UtcNow);

    static PositionDocument Position(string objector = "Wallonia") => new(
        "round-1",
        Procedure.COORMULTI,
        "UNESCO Executive Board",
        "UNESCO",
        MeetingKind.BoardMeeting,
        3,
        PositionStatus.Final,
        new DateTimeOffset(2026, 12, 15, 16, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 16, 9, 0, 0, TimeSpan.Zero),
        SilenceProcedure: false,
        [
            new PositionItem("5.I", "Draft programme and budget", "Text", ItemOutcome.Divergence,
                [new ParticipantStance("federal", "Federal Government", PositionStance.Agree, null),
                 new ParticipantStance("wallonia", objector, PositionStance.Objection, "Too low.")], []),
            new PositionItem("12", "Neurotechnology", "Text", ItemOutcome.Consensus,
                [new ParticipantStance("federal", "Federal Government", PositionStance.Agree, null)], ["wallonia"]),
        ]);

    [Theory]
    [InlineData("nl", "COORMULTI-standpunt definitief: UNESCO Executive Board (versie 3)", "Uitkomst", "Bezwaar van", "Consensus")]
    [InlineData("fr", "Position COORMULTI définitive : UNESCO Executive Board (version 3)", "Résultat", "Objection de", "Consensus")]
    [InlineData("de", "COORMULTI-Standpunkt endgültig: UNESCO Executive Board (Version 3)", "Ergebnis", "Einwand von", "Konsens")]
    [InlineData("en", "COORMULTI position final: UNESCO Executive Board (version 3)", "Outcome", "Objection from", "Consensus")]
    public void FinalPosition_RecipientsLanguage_SummaryPerItemInItAndTheAttachmentNamed(
        string language, string subject, string outcomeHeader, string objectionsHeader, string consensus)
    {
        var t = EmailTexts.For(language);

        var mail = EmailTemplates.FinalPosition(Round(), new Addressee("wallonia", "Wallonia", language), Position(), "position-round-1-v3.html");

        Assert.Equal(subject, mail.Subject);
        Assert.StartsWith(t.Greeting, mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("position-round-1-v3.html", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{outcomeHeader}: {t.Divergence}", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{objectionsHeader}: Wallonia", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains($"{outcomeHeader}: {consensus}", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains("5.I. Draft programme and budget", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains($"lang=\"{language}\"", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Wijze van beslechting: compromistekst", "Trekker: Wallonia")]
    [InlineData("fr", "Mode de règlement: texte de compromis", "Chef de file: Wallonia")]
    [InlineData("de", "Art der Einigung: Kompromisstext", "Federführung: Wallonia")]
    [InlineData("en", "How settled: compromise text", "Lead: Wallonia")]
    public void FinalPosition_SettledItemWithALead_TheWayTheAgreedTextAndTheLeadInTheRecipientsLanguage(
        string language, string settled, string lead)
    {
        const string Agreed = "Zero real growth, with SDG 4 kept whole.";
        var position = Position();
        var budget = position.Items[0] with
        {
            Settlement = new ItemSettlement(SettlementKind.Compromise, Agreed, null, null, DateTimeOffset.UnixEpoch, 2),
            LeadEntity = "wallonia",
            LeadName = "Wallonia",
        };
        // An objection of an entity not competent for the item is in the position, but does not block it: not listed.
        var neuro = position.Items[1] with
        {
            Stances = [new ParticipantStance("federal", "Federal Government", PositionStance.Objection, "No.", Competent: false)],
        };

        var mail = EmailTemplates.FinalPosition(
            Round(), new Addressee("wallonia", "Wallonia", language), position with { Items = [budget, neuro] }, "position-round-1-v3.html");

        Assert.Contains($"{settled}\n{Agreed}", mail.PlainText.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(lead, mail.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Federal Government", mail.PlainText, StringComparison.Ordinal);
        Assert.Contains(Agreed, mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void FinalPosition_UserWrittenTitleAndNames_EncodedInTheHtml()
    {
        var mail = EmailTemplates.FinalPosition(Round(Hostile), new Addressee("permanent-representation-1", Hostile, "en"), Position(Hostile), "p.html");

        Assert.DoesNotContain("<script>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageName_FinalPosition_InEachLanguage()
    {
        Assert.Equal(
            ["definitief standpunt, versie 3", "position définitive, version 3", "Endgültiger Standpunkt, Version 3", "final position, version 3"],
            EmailTexts.All.Select(t => t.MessageName(MessageKind.FinalPosition, 3)));
    }
}
