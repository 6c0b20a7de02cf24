using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;

namespace MultilateralFlows.Replies;

/// <summary>
/// Everything the reply pages say, in the participant's language (nl, fr, de, en): the form, the confirmation, and the
/// checks on a submitted reply. Dates, kinds and stance names come from the e-mail texts, so page and e-mail agree.
/// </summary>
public sealed class ReplyPageTexts
{
    public required string Language { get; init; }
    public required EmailTexts Mail { get; init; }
    public required Func<string, string> Consultation { get; init; }
    public required Func<string, string, string> ReplyFor { get; init; }
    public required Func<int, string> Iteration { get; init; }
    public required Func<int, string> Prefilled { get; init; }
    public required string NotRecorded { get; init; }
    public required IReadOnlyDictionary<Stance, (string Label, string Hint)> Choices { get; init; }
    public required string RemarksLabel { get; init; }
    public required string Send { get; init; }
    public required string SendAmended { get; init; }
    public required string Recorded { get; init; }
    public required Func<string, string, int, string, string> RecordedDetail { get; init; }
    public required string Item { get; init; }
    public required string Stance { get; init; }
    public required string Remarks { get; init; }
    public required Func<string, string> AmendUntil { get; init; }
    public required string ClosedTitle { get; init; }
    public required Func<string, string> ClosedText { get; init; }

    // The checks on a reply, as a desk officer reads them in the form.
    public required string ChooseStance { get; init; }
    public required string ExplainObjection { get; init; }
    public required string GiveRemarks { get; init; }
    public required Func<int, int, string> TooLong { get; init; }
    public required string ControlCharacters { get; init; }
    public required Func<string, string> NotReopened { get; init; }
    public required Func<string, string> Missing { get; init; }
    public required string AtLeastOne { get; init; }
    public required string SendAgain { get; init; }
    public required string NotConfirmed { get; init; }

    public string StanceLabel(Stance stance) => Choices[stance].Label;

    public static ReplyPageTexts For(string? language) => language switch
    {
        "nl" => Dutch,
        "fr" => French,
        "de" => German,
        _ => English,
    };

    public static ReplyPageTexts English { get; } = new()
    {
        Language = "en",
        Mail = EmailTexts.English,
        Consultation = procedure => $"{procedure} consultation",
        ReplyFor = (name, deadline) => $"Reply for <strong>{name}</strong> by <strong>{deadline}</strong>. You can come back through the same link and amend your reply until then.",
        Iteration = n => $"Round {n}: the coordinator reopened the item(s) below, on which positions diverged. Your earlier answer is filled in; change it or confirm it. The other items are settled.",
        Prefilled = v => $"Your reply (version {v}) is filled in below. Sending the form again records a new version; earlier versions are kept.",
        NotRecorded = "Your reply was not recorded:",
        Choices = new Dictionary<Stance, (string, string)>
        {
            [Consolidation.Stance.Agree] = ("Agree", "We agree with the draft as it stands."),
            [Consolidation.Stance.AgreeWithRemarks] = ("Agree with remarks", "We agree, with the remarks below."),
            [Consolidation.Stance.Objection] = ("Objection", "We object; the remarks explain why and what we propose."),
            [Consolidation.Stance.NotCompetent] = ("Not competent", "This item is outside our competence."),
        },
        RemarksLabel = "Remarks (required with remarks or an objection)",
        Send = "Send reply",
        SendAmended = "Send amended reply",
        Recorded = "Thank you: your reply is recorded",
        RecordedDetail = (name, title, version, at) => $"Reply of <strong>{name}</strong> on <strong>{title}</strong>, version {version}, received {at}.",
        Item = "Item",
        Stance = "Stance",
        Remarks = "Remarks",
        AmendUntil = deadline => $"You can amend your reply through the same link until {deadline}.",
        ClosedTitle = "This consultation round is closed",
        ClosedText = title => $"Replies on <strong>{title}</strong> are no longer accepted. Contact the coordinator if you need to add something.",
        ChooseStance = "Choose a stance.",
        ExplainObjection = "Explain the objection in the remarks.",
        GiveRemarks = "Give the remarks.",
        TooLong = (max, actual) => $"At most {max} characters (this has {actual}).",
        ControlCharacters = "Contains control characters.",
        NotReopened = item => $"Item '{item}' is not reopened in this round; only the reopened items can be answered.",
        Missing = items => $"Give a stance for every item; missing: {items}.",
        AtLeastOne = "Give a stance for at least one item.",
        SendAgain = "Several replies from you arrived at the same moment and this one was not recorded; send it again.",
        NotConfirmed = "Your reply is saved, but we could not confirm it to the round just now; send it again in a minute (the round keeps your latest answer).",
    };

    public static ReplyPageTexts Dutch { get; } = new()
    {
        Language = "nl",
        Mail = EmailTexts.Dutch,
        Consultation = procedure => $"{procedure}-consultatie",
        ReplyFor = (name, deadline) => $"Antwoord voor <strong>{name}</strong> uiterlijk <strong>{deadline}</strong>. Tot dan kunt u via dezelfde link terugkomen en uw antwoord wijzigen.",
        Iteration = n => $"Ronde {n}: de coördinator heeft de onderstaande punten heropend, waarover de standpunten uiteenliepen. Uw vorige antwoord is ingevuld; wijzig of bevestig het. De andere punten liggen vast.",
        Prefilled = v => $"Uw antwoord (versie {v}) is hieronder ingevuld. Als u het formulier opnieuw verstuurt, wordt een nieuwe versie bewaard; vorige versies blijven behouden.",
        NotRecorded = "Uw antwoord is niet geregistreerd:",
        Choices = new Dictionary<Stance, (string, string)>
        {
            [Consolidation.Stance.Agree] = ("Akkoord", "Wij gaan akkoord met het ontwerp zoals het is."),
            [Consolidation.Stance.AgreeWithRemarks] = ("Akkoord met opmerkingen", "Wij gaan akkoord, met de opmerkingen hieronder."),
            [Consolidation.Stance.Objection] = ("Bezwaar", "Wij maken bezwaar; de opmerkingen leggen uit waarom en wat wij voorstellen."),
            [Consolidation.Stance.NotCompetent] = ("Niet bevoegd", "Dit punt valt buiten onze bevoegdheid."),
        },
        RemarksLabel = "Opmerkingen (verplicht bij opmerkingen of bezwaar)",
        Send = "Antwoord versturen",
        SendAmended = "Gewijzigd antwoord versturen",
        Recorded = "Dank u: uw antwoord is geregistreerd",
        RecordedDetail = (name, title, version, at) => $"Antwoord van <strong>{name}</strong> over <strong>{title}</strong>, versie {version}, ontvangen op {at}.",
        Item = "Punt",
        Stance = "Standpunt",
        Remarks = "Opmerkingen",
        AmendUntil = deadline => $"U kunt uw antwoord via dezelfde link wijzigen tot {deadline}.",
        ClosedTitle = "Deze consultatieronde is afgesloten",
        ClosedText = title => $"Antwoorden over <strong>{title}</strong> worden niet meer aanvaard. Neem contact op met de coördinator als u nog iets wilt toevoegen.",
        ChooseStance = "Kies een standpunt.",
        ExplainObjection = "Licht het bezwaar toe in de opmerkingen.",
        GiveRemarks = "Vul de opmerkingen in.",
        TooLong = (max, actual) => $"Hoogstens {max} tekens (dit zijn er {actual}).",
        ControlCharacters = "Bevat stuurtekens.",
        NotReopened = item => $"Punt '{item}' is in deze ronde niet heropend; alleen de heropende punten kunnen beantwoord worden.",
        Missing = items => $"Geef een standpunt voor elk punt; ontbrekend: {items}.",
        AtLeastOne = "Geef een standpunt voor minstens één punt.",
        SendAgain = "Er kwamen tegelijk meerdere antwoorden van u binnen en dit antwoord is niet geregistreerd; verstuur het opnieuw.",
        NotConfirmed = "Uw antwoord is bewaard, maar we konden het nog niet aan de ronde bevestigen; verstuur het over een minuut opnieuw (de ronde houdt uw laatste antwoord bij).",
    };

    public static ReplyPageTexts French { get; } = new()
    {
        Language = "fr",
        Mail = EmailTexts.French,
        Consultation = procedure => $"Consultation {procedure}",
        ReplyFor = (name, deadline) => $"Réponse pour <strong>{name}</strong> au plus tard le <strong>{deadline}</strong>. Jusque-là, vous pouvez revenir par le même lien et modifier votre réponse.",
        Iteration = n => $"Tour {n} : le coordinateur a rouvert le(s) point(s) ci-dessous, sur lesquels les positions divergeaient. Votre réponse précédente est reprise ; modifiez-la ou confirmez-la. Les autres points sont réglés.",
        Prefilled = v => $"Votre réponse (version {v}) est reprise ci-dessous. Un nouvel envoi du formulaire enregistre une nouvelle version ; les versions précédentes sont conservées.",
        NotRecorded = "Votre réponse n'a pas été enregistrée :",
        Choices = new Dictionary<Stance, (string, string)>
        {
            [Consolidation.Stance.Agree] = ("D'accord", "Nous marquons notre accord sur le projet tel quel."),
            [Consolidation.Stance.AgreeWithRemarks] = ("D'accord avec remarques", "Nous marquons notre accord, avec les remarques ci-dessous."),
            [Consolidation.Stance.Objection] = ("Objection", "Nous objectons ; les remarques expliquent pourquoi et ce que nous proposons."),
            [Consolidation.Stance.NotCompetent] = ("Pas compétent", "Ce point ne relève pas de notre compétence."),
        },
        RemarksLabel = "Remarques (obligatoires avec remarques ou objection)",
        Send = "Envoyer la réponse",
        SendAmended = "Envoyer la réponse modifiée",
        Recorded = "Merci : votre réponse est enregistrée",
        RecordedDetail = (name, title, version, at) => $"Réponse de <strong>{name}</strong> sur <strong>{title}</strong>, version {version}, reçue le {at}.",
        Item = "Point",
        Stance = "Position",
        Remarks = "Remarques",
        AmendUntil = deadline => $"Vous pouvez modifier votre réponse par le même lien jusqu'au {deadline}.",
        ClosedTitle = "Ce tour de consultation est clôturé",
        ClosedText = title => $"Les réponses sur <strong>{title}</strong> ne sont plus acceptées. Contactez le coordinateur si vous souhaitez ajouter quelque chose.",
        ChooseStance = "Choisissez une position.",
        ExplainObjection = "Expliquez l'objection dans les remarques.",
        GiveRemarks = "Indiquez les remarques.",
        TooLong = (max, actual) => $"Au maximum {max} caractères (ici {actual}).",
        ControlCharacters = "Contient des caractères de contrôle.",
        NotReopened = item => $"Le point « {item} » n'est pas rouvert dans ce tour ; seuls les points rouverts peuvent recevoir une réponse.",
        Missing = items => $"Donnez une position pour chaque point ; manquant : {items}.",
        AtLeastOne = "Donnez une position pour au moins un point.",
        SendAgain = "Plusieurs réponses de votre part sont arrivées au même moment et celle-ci n'a pas été enregistrée ; envoyez-la à nouveau.",
        NotConfirmed = "Votre réponse est enregistrée, mais nous n'avons pas encore pu la confirmer auprès du tour de consultation ; envoyez-la à nouveau dans une minute (seule votre dernière réponse compte).",
    };

    public static ReplyPageTexts German { get; } = new()
    {
        Language = "de",
        Mail = EmailTexts.German,
        Consultation = procedure => $"{procedure}-Konsultation",
        ReplyFor = (name, deadline) => $"Antwort für <strong>{name}</strong> bis <strong>{deadline}</strong>. Bis dahin können Sie über denselben Link zurückkehren und Ihre Antwort ändern.",
        Iteration = n => $"Runde {n}: Der Koordinator hat die folgenden Punkte wieder geöffnet, bei denen die Standpunkte auseinandergingen. Ihre frühere Antwort ist eingetragen; ändern oder bestätigen Sie sie. Die übrigen Punkte sind erledigt.",
        Prefilled = v => $"Ihre Antwort (Version {v}) ist unten eingetragen. Wenn Sie das Formular erneut senden, wird eine neue Version gespeichert; frühere Versionen bleiben erhalten.",
        NotRecorded = "Ihre Antwort wurde nicht gespeichert:",
        Choices = new Dictionary<Stance, (string, string)>
        {
            [Consolidation.Stance.Agree] = ("Einverstanden", "Wir sind mit dem Entwurf in der vorliegenden Form einverstanden."),
            [Consolidation.Stance.AgreeWithRemarks] = ("Einverstanden mit Bemerkungen", "Wir sind einverstanden, mit den Bemerkungen unten."),
            [Consolidation.Stance.Objection] = ("Einwand", "Wir erheben Einwand; die Bemerkungen erklären, warum und was wir vorschlagen."),
            [Consolidation.Stance.NotCompetent] = ("Nicht zuständig", "Dieser Punkt liegt außerhalb unserer Zuständigkeit."),
        },
        RemarksLabel = "Bemerkungen (Pflicht bei Bemerkungen oder Einwand)",
        Send = "Antwort senden",
        SendAmended = "Geänderte Antwort senden",
        Recorded = "Vielen Dank: Ihre Antwort ist gespeichert",
        RecordedDetail = (name, title, version, at) => $"Antwort von <strong>{name}</strong> zu <strong>{title}</strong>, Version {version}, eingegangen am {at}.",
        Item = "Punkt",
        Stance = "Standpunkt",
        Remarks = "Bemerkungen",
        AmendUntil = deadline => $"Sie können Ihre Antwort über denselben Link bis {deadline} ändern.",
        ClosedTitle = "Diese Konsultationsrunde ist abgeschlossen",
        ClosedText = title => $"Antworten zu <strong>{title}</strong> werden nicht mehr angenommen. Wenden Sie sich an den Koordinator, wenn Sie etwas ergänzen möchten.",
        ChooseStance = "Wählen Sie einen Standpunkt.",
        ExplainObjection = "Begründen Sie den Einwand in den Bemerkungen.",
        GiveRemarks = "Geben Sie die Bemerkungen an.",
        TooLong = (max, actual) => $"Höchstens {max} Zeichen (hier {actual}).",
        ControlCharacters = "Enthält Steuerzeichen.",
        NotReopened = item => $"Punkt „{item}“ ist in dieser Runde nicht wieder geöffnet; nur die wieder geöffneten Punkte können beantwortet werden.",
        Missing = items => $"Geben Sie zu jedem Punkt einen Standpunkt an; es fehlt: {items}.",
        AtLeastOne = "Geben Sie zu mindestens einem Punkt einen Standpunkt an.",
        SendAgain = "Mehrere Antworten von Ihnen sind gleichzeitig eingegangen, und diese wurde nicht gespeichert; senden Sie sie bitte erneut.",
        NotConfirmed = "Ihre Antwort ist gespeichert, konnte der Konsultationsrunde aber noch nicht bestätigt werden; senden Sie sie bitte in einer Minute erneut (es zählt Ihre letzte Antwort).",
    };
}
