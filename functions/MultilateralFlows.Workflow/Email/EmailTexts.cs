using System.Globalization;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Email;

/// <summary>
/// Everything the e-mails say, in one language. The four instances (nl, fr, de, en) are the whole translation: a
/// sentence added to a template is added here four times, and the compiler insists on all four.
/// </summary>
public sealed class EmailTexts
{
    public required string Language { get; init; }
    public required string[] Months { get; init; }
    public required Func<int, string, int, string, string> DateFormat { get; init; }
    public required Func<MeetingKind, string> KindName { get; init; }
    public required Func<PositionStance, string> StanceName { get; init; }
    public required Func<MessageKind, int, string> MessageName { get; init; }

    public required string Greeting { get; init; }
    public required string SignOff { get; init; }
    public required string Automated { get; init; }
    public required string AddressedTo { get; init; }
    public required string Dossier { get; init; }
    public required string Organisation { get; init; }
    public required string Kind { get; init; }
    public required string ItemCount { get; init; }
    public required string Deadline { get; init; }
    public required string ItemsHeading { get; init; }
    public required string LinkIntro { get; init; }
    public required string ReplyLinkLabel { get; init; }
    public required string Amend { get; init; }
    public required string Personal { get; init; }
    public required string Silence { get; init; }

    public required Func<string, string, string, string> RequestSubject { get; init; }
    public required Func<string, string> RequestIntro { get; init; }
    public required Func<int, string> RoundLabel { get; init; }
    public required Func<string, int, string> NextIterationIntro { get; init; }
    public required Func<int, string, string, string> ReminderSubject { get; init; }
    public required string ReminderIntro { get; init; }
    public required Func<string, int, string> ReceiptSubject { get; init; }
    public required Func<string, int, string> ReceiptIntro { get; init; }
    public required string ReceiptReplaces { get; init; }
    public required string ItemHeader { get; init; }
    public required string StanceHeader { get; init; }
    public required string RemarksHeader { get; init; }
    public required string ReceiptLinkLabel { get; init; }

    public required Func<string, int, string> PositionReadySubject { get; init; }
    public required Func<string, string, int, string> PositionReadyIntro { get; init; }
    public required string Consensus { get; init; }
    public required string Divergence { get; init; }
    public required string NoReplyFrom { get; init; }
    public required string DivergentHeading { get; init; }
    public required string PositionLinkLabel { get; init; }
    public required string ReviewNote { get; init; }
    public required Func<string, int, string> FinalSubject { get; init; }
    public required Func<string, int, string> FinalIntro { get; init; }
    public required Func<string, string, string> UndeliverableSubject { get; init; }
    public required Func<string, string, string, string, string> UndeliverableIntro { get; init; }
    public required string Addresses { get; init; }
    public required string Reason { get; init; }
    public required string UndeliverableAdvice { get; init; }
    public required Func<string, string, string> UnconfirmedSubject { get; init; }
    public required Func<string, string, string, string, string> UnconfirmedIntro { get; init; }
    public required string UnconfirmedAdvice { get; init; }
    public required string StatusLinkLabel { get; init; }

    /// <summary>A moment in Brussels time, written the way the language writes dates (no ICU data needed).</summary>
    public string Format(DateTimeOffset instant)
    {
        var local = BrusselsTime.ToBrussels(instant);
        return DateFormat(local.Day, Months[local.Month - 1], local.Year, local.ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    public static EmailTexts For(string? language) => language switch
    {
        "nl" => Dutch,
        "fr" => French,
        "de" => German,
        _ => English,
    };

    public static IReadOnlyList<EmailTexts> All => [Dutch, French, German, English];

    public static EmailTexts Dutch { get; } = new()
    {
        Language = "nl",
        Months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        DateFormat = (d, m, y, t) => $"{d} {m} {y} om {t} (Brusselse tijd)",
        KindName = kind => kind switch
        {
            MeetingKind.BoardMeeting => "Vergadering van een bestuursorgaan",
            MeetingKind.ExpertMeeting => "Expertenvergadering",
            MeetingKind.Report => "Rapport",
            _ => "Vragenlijst",
        },
        StanceName = stance => stance switch
        {
            PositionStance.Agree => "Akkoord",
            PositionStance.AgreeWithRemarks => "Akkoord met opmerkingen",
            PositionStance.Objection => "Bezwaar",
            PositionStance.NotCompetent => "Niet bevoegd",
            _ => "Geen antwoord",
        },
        MessageName = (kind, n) => kind switch
        {
            MessageKind.Request => "verzoek om standpunt",
            MessageKind.Reminder => $"herinnering {n}",
            MessageKind.Receipt => $"ontvangstbevestiging, versie {n}",
            _ => "bericht",
        },
        Greeting = "Geachte collega's,",
        SignOff = "Met vriendelijke groeten,\nMultilateralFlows",
        Automated = "Dit is een automatisch bericht. Wie erop antwoordt, bereikt de coördinator van de ronde.",
        AddressedTo = "Bestemd voor",
        Dossier = "Dossier",
        Organisation = "Organisatie",
        Kind = "Soort",
        ItemCount = "Aantal agendapunten",
        Deadline = "Uiterste datum",
        ItemsHeading = "Agendapunten en vragen:",
        LinkIntro = "Antwoord per agendapunt via uw persoonlijke link:",
        ReplyLinkLabel = "Antwoordformulier openen",
        Amend = "U kunt uw antwoord via dezelfde link aanpassen tot de uiterste datum.",
        Personal = "Deze link is persoonlijk voor uw organisatie: stuur hem niet door.",
        Silence = "Deze ronde volgt de stilzwijgende procedure: zonder antwoord tegen de uiterste datum wordt uw organisatie geacht akkoord te gaan.",
        RequestSubject = (procedure, title, deadline) => $"[{procedure}] Consultatie: {title} — antwoord tegen {deadline}",
        RequestIntro = procedure => $"Uw standpunt wordt gevraagd in een {procedure}-consultatieronde.",
        RoundLabel = i => $"ronde {i}",
        NextIterationIntro = (procedure, i) => $"Dit is ronde {i} van deze {procedure}-consultatie: de agendapunten zonder consensus liggen opnieuw voor. Uw vorige antwoord staat al in het formulier.",
        ReminderSubject = (n, title, deadline) => $"Herinnering {n}: uw antwoord op '{title}' wordt verwacht tegen {deadline}",
        ReminderIntro = "We hebben uw antwoord op deze consultatieronde nog niet ontvangen.",
        ReceiptSubject = (title, v) => $"Ontvangstbevestiging: {title} (versie {v})",
        ReceiptIntro = (at, v) => $"We hebben uw antwoord ontvangen op {at} (versie {v}).",
        ReceiptReplaces = "Het vervangt uw eerdere antwoord.",
        ItemHeader = "Agendapunt",
        StanceHeader = "Standpunt",
        RemarksHeader = "Opmerkingen",
        ReceiptLinkLabel = "Uw antwoord bekijken of aanpassen",
        PositionReadySubject = (title, v) => $"Ontwerpstandpunt klaar: {title} (versie {v})",
        PositionReadyIntro = (procedure, title, v) => $"Het geconsolideerde standpunt van de {procedure}-ronde '{title}' (ontwerpversie {v}) is klaar voor uw beoordeling.",
        Consensus = "Consensus",
        Divergence = "Divergentie",
        NoReplyFrom = "Geen antwoord van",
        DivergentHeading = "Agendapunten met divergentie:",
        PositionLinkLabel = "Standpunt openen",
        ReviewNote = "Keur het goed als definitief, of heropen de punten met divergentie, via de reviewroute van de ronde.",
        FinalSubject = (title, v) => $"Definitief standpunt: {title} (versie {v})",
        FinalIntro = (title, v) => $"Het standpunt van de ronde '{title}' is goedgekeurd als definitief (versie {v}).",
        UndeliverableSubject = (name, title) => $"Niet afgeleverd: {name} — {title}",
        UndeliverableIntro = (message, name, code, title) => $"De maildienst weigerde de e-mail ({message}) aan {name} ({code}) voor de ronde '{title}'. Deze deelnemer is niet bereikt.",
        Addresses = "Adressen",
        Reason = "Reden",
        UndeliverableAdvice = "Neem op een andere manier contact op met het aanspreekpunt en verbeter het adres in de deelnemerslijst voor volgende rondes.",
        UnconfirmedSubject = (name, title) => $"Onbevestigde e-mail: {name} — {title}",
        UnconfirmedIntro = (message, name, code, title) => $"We konden niet bevestigen dat de e-mail ({message}) aan {name} ({code}) voor de ronde '{title}' is vertrokken: de maildienst antwoordde niet op tijd. Om een dubbele verzending te vermijden, wordt hij niet opnieuw verstuurd.",
        UnconfirmedAdvice = "De status van de ronde toont 'Delivered' zodra de maildienst de aflevering bevestigt. Heeft de deelnemer niets ontvangen, stuur dan een herinnering.",
        StatusLinkLabel = "Status van de ronde",
    };

    public static EmailTexts French { get; } = new()
    {
        Language = "fr",
        Months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        DateFormat = (d, m, y, t) => $"{d} {m} {y} à {t.Replace(':', 'h')} (heure de Bruxelles)",
        KindName = kind => kind switch
        {
            MeetingKind.BoardMeeting => "Réunion d'un organe directeur",
            MeetingKind.ExpertMeeting => "Réunion d'experts",
            MeetingKind.Report => "Rapport",
            _ => "Questionnaire",
        },
        StanceName = stance => stance switch
        {
            PositionStance.Agree => "D'accord",
            PositionStance.AgreeWithRemarks => "D'accord avec remarques",
            PositionStance.Objection => "Objection",
            PositionStance.NotCompetent => "Non compétent",
            _ => "Pas de réponse",
        },
        MessageName = (kind, n) => kind switch
        {
            MessageKind.Request => "demande de position",
            MessageKind.Reminder => $"rappel {n}",
            MessageKind.Receipt => $"accusé de réception, version {n}",
            _ => "message",
        },
        Greeting = "Madame, Monsieur,",
        SignOff = "Cordialement,\nMultilateralFlows",
        Automated = "Ceci est un message automatique. Une réponse à cet e-mail parvient au coordinateur de la consultation.",
        AddressedTo = "Destinataire",
        Dossier = "Dossier",
        Organisation = "Organisation",
        Kind = "Type",
        ItemCount = "Nombre de points",
        Deadline = "Date limite",
        ItemsHeading = "Points de l'ordre du jour et questions :",
        LinkIntro = "Répondez point par point via votre lien personnel :",
        ReplyLinkLabel = "Ouvrir le formulaire de réponse",
        Amend = "Vous pouvez modifier votre réponse via le même lien jusqu'à la date limite.",
        Personal = "Ce lien est personnel à votre organisation : ne le transférez pas.",
        Silence = "Cette consultation applique la procédure du silence : sans réponse à la date limite, votre organisation est réputée marquer son accord.",
        RequestSubject = (procedure, title, deadline) => $"[{procedure}] Consultation : {title} — réponse pour le {deadline}",
        RequestIntro = procedure => $"Votre position est demandée dans le cadre d'une consultation {procedure}.",
        RoundLabel = i => $"tour {i}",
        NextIterationIntro = (procedure, i) => $"Ceci est le tour {i} de cette consultation {procedure} : les points sans consensus vous sont soumis à nouveau. Votre réponse précédente figure déjà dans le formulaire.",
        ReminderSubject = (n, title, deadline) => $"Rappel {n} : votre réponse sur « {title} » est attendue pour le {deadline}",
        ReminderIntro = "Nous n'avons pas encore reçu votre réponse à cette consultation.",
        ReceiptSubject = (title, v) => $"Accusé de réception : {title} (version {v})",
        ReceiptIntro = (at, v) => $"Nous avons bien reçu votre réponse le {at} (version {v}).",
        ReceiptReplaces = "Elle remplace votre réponse précédente.",
        ItemHeader = "Point",
        StanceHeader = "Position",
        RemarksHeader = "Remarques",
        ReceiptLinkLabel = "Consulter ou modifier votre réponse",
        PositionReadySubject = (title, v) => $"Projet de position prêt : {title} (version {v})",
        PositionReadyIntro = (procedure, title, v) => $"La position consolidée de la consultation {procedure} « {title} » (projet, version {v}) est prête pour votre examen.",
        Consensus = "Consensus",
        Divergence = "Divergence",
        NoReplyFrom = "Pas de réponse de",
        DivergentHeading = "Points divergents :",
        PositionLinkLabel = "Ouvrir la position",
        ReviewNote = "Approuvez-la comme définitive, ou rouvrez les points divergents, via la route de révision de la consultation.",
        FinalSubject = (title, v) => $"Position définitive : {title} (version {v})",
        FinalIntro = (title, v) => $"La position de la consultation « {title} » a été approuvée comme définitive (version {v}).",
        UndeliverableSubject = (name, title) => $"Non distribué : {name} — {title}",
        UndeliverableIntro = (message, name, code, title) => $"Le service d'e-mail a refusé le message ({message}) destiné à {name} ({code}) pour la consultation « {title} ». Ce participant n'a pas été atteint.",
        Addresses = "Adresses",
        Reason = "Motif",
        UndeliverableAdvice = "Contactez le point focal par un autre moyen et corrigez l'adresse dans l'annuaire des participants pour les prochaines consultations.",
        UnconfirmedSubject = (name, title) => $"E-mail non confirmé : {name} — {title}",
        UnconfirmedIntro = (message, name, code, title) => $"Nous n'avons pas pu confirmer l'envoi du message ({message}) à {name} ({code}) pour la consultation « {title} » : le service d'e-mail n'a pas répondu à temps. Pour éviter un doublon, il n'est pas renvoyé.",
        UnconfirmedAdvice = "Le statut de la consultation indique « Delivered » dès que le service d'e-mail confirme la remise. Si le participant n'a rien reçu, envoyez un rappel.",
        StatusLinkLabel = "Statut de la consultation",
    };

    public static EmailTexts German { get; } = new()
    {
        Language = "de",
        Months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        DateFormat = (d, m, y, t) => $"{d}. {m} {y}, {t} Uhr (Brüsseler Zeit)",
        KindName = kind => kind switch
        {
            MeetingKind.BoardMeeting => "Sitzung eines Leitungsgremiums",
            MeetingKind.ExpertMeeting => "Expertensitzung",
            MeetingKind.Report => "Bericht",
            _ => "Fragebogen",
        },
        StanceName = stance => stance switch
        {
            PositionStance.Agree => "Einverstanden",
            PositionStance.AgreeWithRemarks => "Einverstanden mit Anmerkungen",
            PositionStance.Objection => "Einwand",
            PositionStance.NotCompetent => "Nicht zuständig",
            _ => "Keine Antwort",
        },
        MessageName = (kind, n) => kind switch
        {
            MessageKind.Request => "Bitte um Stellungnahme",
            MessageKind.Reminder => $"Erinnerung {n}",
            MessageKind.Receipt => $"Eingangsbestätigung, Version {n}",
            _ => "Nachricht",
        },
        Greeting = "Sehr geehrte Damen und Herren,",
        SignOff = "Mit freundlichen Grüßen\nMultilateralFlows",
        Automated = "Dies ist eine automatische Nachricht. Eine Antwort auf diese E-Mail erreicht die Koordination der Runde.",
        AddressedTo = "Empfänger",
        Dossier = "Dossier",
        Organisation = "Organisation",
        Kind = "Art",
        ItemCount = "Anzahl der Punkte",
        Deadline = "Frist",
        ItemsHeading = "Tagesordnungspunkte und Fragen:",
        LinkIntro = "Bitte antworten Sie pro Punkt über Ihren persönlichen Link:",
        ReplyLinkLabel = "Antwortformular öffnen",
        Amend = "Bis zur Frist können Sie Ihre Antwort über denselben Link ändern.",
        Personal = "Dieser Link ist persönlich für Ihre Organisation: Bitte leiten Sie ihn nicht weiter.",
        Silence = "In dieser Runde gilt das Schweigeverfahren: Ohne Antwort bis zur Frist gilt die Zustimmung Ihrer Organisation als erteilt.",
        RequestSubject = (procedure, title, deadline) => $"[{procedure}] Konsultation: {title} — Antwort bis {deadline}",
        RequestIntro = procedure => $"Sie werden um Ihre Stellungnahme in einer {procedure}-Konsultationsrunde gebeten.",
        RoundLabel = i => $"Runde {i}",
        NextIterationIntro = (procedure, i) => $"Dies ist Runde {i} dieser {procedure}-Konsultation: Die Punkte ohne Konsens liegen erneut vor. Ihre frühere Antwort ist im Formular bereits eingetragen.",
        ReminderSubject = (n, title, deadline) => $"Erinnerung {n}: Ihre Antwort zu „{title}“ wird bis {deadline} erwartet",
        ReminderIntro = "Wir haben Ihre Antwort in dieser Konsultationsrunde noch nicht erhalten.",
        ReceiptSubject = (title, v) => $"Eingangsbestätigung: {title} (Version {v})",
        ReceiptIntro = (at, v) => $"Wir haben Ihre Antwort am {at} erhalten (Version {v}).",
        ReceiptReplaces = "Sie ersetzt Ihre frühere Antwort.",
        ItemHeader = "Punkt",
        StanceHeader = "Stellungnahme",
        RemarksHeader = "Anmerkungen",
        ReceiptLinkLabel = "Antwort ansehen oder ändern",
        PositionReadySubject = (title, v) => $"Entwurf der Position bereit: {title} (Version {v})",
        PositionReadyIntro = (procedure, title, v) => $"Die konsolidierte Position der {procedure}-Runde „{title}“ (Entwurf, Version {v}) liegt zur Prüfung vor.",
        Consensus = "Konsens",
        Divergence = "Divergenz",
        NoReplyFrom = "Keine Antwort von",
        DivergentHeading = "Punkte mit Divergenz:",
        PositionLinkLabel = "Position öffnen",
        ReviewNote = "Genehmigen Sie sie als endgültig oder eröffnen Sie die Punkte mit Divergenz erneut, über die Prüfungsroute der Runde.",
        FinalSubject = (title, v) => $"Endgültige Position: {title} (Version {v})",
        FinalIntro = (title, v) => $"Die Position der Runde „{title}“ wurde als endgültig genehmigt (Version {v}).",
        UndeliverableSubject = (name, title) => $"Nicht zugestellt: {name} — {title}",
        UndeliverableIntro = (message, name, code, title) => $"Der E-Mail-Dienst hat die Nachricht ({message}) an {name} ({code}) für die Runde „{title}“ abgelehnt. Dieser Teilnehmer wurde nicht erreicht.",
        Addresses = "Adressen",
        Reason = "Grund",
        UndeliverableAdvice = "Bitte kontaktieren Sie die Kontaktstelle auf anderem Weg und korrigieren Sie die Adresse im Teilnehmerverzeichnis für künftige Runden.",
        UnconfirmedSubject = (name, title) => $"Unbestätigte E-Mail: {name} — {title}",
        UnconfirmedIntro = (message, name, code, title) => $"Wir konnten nicht bestätigen, dass die Nachricht ({message}) an {name} ({code}) für die Runde „{title}“ versandt wurde: Der E-Mail-Dienst hat nicht rechtzeitig geantwortet. Um eine doppelte Zustellung zu vermeiden, wird sie nicht erneut gesendet.",
        UnconfirmedAdvice = "Der Status der Runde zeigt „Delivered“, sobald der E-Mail-Dienst die Zustellung bestätigt. Hat der Teilnehmer nichts erhalten, senden Sie eine Erinnerung.",
        StatusLinkLabel = "Status der Runde",
    };

    public static EmailTexts English { get; } = new()
    {
        Language = "en",
        Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        DateFormat = (d, m, y, t) => $"{d} {m} {y} at {t} (Brussels time)",
        KindName = kind => kind switch
        {
            MeetingKind.BoardMeeting => "Board meeting",
            MeetingKind.ExpertMeeting => "Expert meeting",
            MeetingKind.Report => "Report",
            _ => "Questionnaire",
        },
        StanceName = stance => stance switch
        {
            PositionStance.Agree => "Agree",
            PositionStance.AgreeWithRemarks => "Agree with remarks",
            PositionStance.Objection => "Objection",
            PositionStance.NotCompetent => "Not competent",
            _ => "No reply",
        },
        MessageName = (kind, n) => kind switch
        {
            MessageKind.Request => "request for a position",
            MessageKind.Reminder => $"reminder {n}",
            MessageKind.Receipt => $"receipt, version {n}",
            _ => "message",
        },
        Greeting = "Dear colleagues,",
        SignOff = "Kind regards,\nMultilateralFlows",
        Automated = "This is an automated message. Replying to it reaches the round's coordinator.",
        AddressedTo = "Addressed to",
        Dossier = "Dossier",
        Organisation = "Organisation",
        Kind = "Kind",
        ItemCount = "Number of items",
        Deadline = "Deadline",
        ItemsHeading = "Agenda items and questions:",
        LinkIntro = "Reply per item through your personal link:",
        ReplyLinkLabel = "Open the reply form",
        Amend = "You can amend your reply through the same link until the deadline.",
        Personal = "This link is personal to your organisation: do not forward it.",
        Silence = "This round uses the silence procedure: without a reply by the deadline, your organisation is counted as agreeing.",
        RequestSubject = (procedure, title, deadline) => $"[{procedure}] Consultation: {title} — reply by {deadline}",
        RequestIntro = procedure => $"You are asked for your position in a {procedure} consultation round.",
        RoundLabel = i => $"round {i}",
        NextIterationIntro = (procedure, i) => $"This is round {i} of this {procedure} consultation: the items without consensus are put to you again. Your earlier answer is already in the form.",
        ReminderSubject = (n, title, deadline) => $"Reminder {n}: your reply on '{title}' is due {deadline}",
        ReminderIntro = "We have not yet received your reply to this consultation round.",
        ReceiptSubject = (title, v) => $"Receipt: {title} (version {v})",
        ReceiptIntro = (at, v) => $"We received your reply on {at} (version {v}).",
        ReceiptReplaces = "It replaces your earlier reply.",
        ItemHeader = "Item",
        StanceHeader = "Stance",
        RemarksHeader = "Remarks",
        ReceiptLinkLabel = "View or amend your reply",
        PositionReadySubject = (title, v) => $"Draft position ready: {title} (version {v})",
        PositionReadyIntro = (procedure, title, v) => $"The consolidated position of the {procedure} round '{title}' (draft version {v}) is ready for your review.",
        Consensus = "Consensus",
        Divergence = "Divergence",
        NoReplyFrom = "No reply from",
        DivergentHeading = "Divergent items:",
        PositionLinkLabel = "Open the position",
        ReviewNote = "Approve it as final, or reopen the divergent items, through the round's review route.",
        FinalSubject = (title, v) => $"Final position: {title} (version {v})",
        FinalIntro = (title, v) => $"The position of the round '{title}' was approved as final (version {v}).",
        UndeliverableSubject = (name, title) => $"Not delivered: {name} — {title}",
        UndeliverableIntro = (message, name, code, title) => $"The mail service refused the e-mail ({message}) to {name} ({code}) for the round '{title}'. This participant has not been reached.",
        Addresses = "Addresses",
        Reason = "Reason",
        UndeliverableAdvice = "Contact the focal point another way, and correct the address in the participant directory for future rounds.",
        UnconfirmedSubject = (name, title) => $"Unconfirmed e-mail: {name} — {title}",
        UnconfirmedIntro = (message, name, code, title) => $"We could not confirm that the e-mail ({message}) to {name} ({code}) for the round '{title}' went out: the mail service did not answer in time. To avoid a duplicate, it is not sent again.",
        UnconfirmedAdvice = "The round status shows 'Delivered' once the mail service confirms delivery. If the participant received nothing, send a reminder.",
        StatusLinkLabel = "Round status",
    };
}
