using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Participants;

namespace MultilateralFlows.Rounds;

/// <summary>
/// Checks a round request against the rules of the procedures and the directory, and turns it into a
/// <see cref="RoundDefinition"/>. Every problem is reported, keyed by the field it concerns.
/// </summary>
public static partial class RoundRequestValidator
{
    public const int MaxTitleLength = 200;
    public const int MaxOrganisationLength = 120;
    public const int MaxItems = 50;
    public const int MaxItemTitleLength = 300;
    public const int MaxItemTextLength = 20_000;
    public const int MaxParticipants = 1_000;
    public const int MaxRepresentationAddresses = 20;
    public const int MaxRepresentationNameLength = 120;

    /// <summary>The languages the e-mails are written in.</summary>
    public static readonly IReadOnlyList<string> Languages = ["nl", "fr", "de", "en"];
    public static readonly TimeSpan MinimumLeadTime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaximumLeadTime = TimeSpan.FromDays(366);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    public static partial Regex ItemIdPattern();

    public static (RoundDefinition? Round, Dictionary<string, string[]> Errors) Validate(
        StartRoundRequest request,
        IReadOnlyDictionary<string, Participant> directory,
        string roundId,
        DateTimeOffset now)
    {
        var errors = new Dictionary<string, List<string>>();
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var procedure = ParseEnum<Procedure>(request.Procedure, "procedure", Error);
        var kind = ParseEnum<MeetingKind>(request.Kind, "kind", Error);
        var title = RequiredText(request.Title, "title", MaxTitleLength, Error);
        var organisation = RequiredText(request.Organisation, "organisation", MaxOrganisationLength, Error);
        var items = ValidateItems(request.Items, Error, out var wellFormedItems);
        var deadline = ValidateDeadline(request.Deadline, now, Error);
        var coordinatorEmail = ValidateEmail(request.CoordinatorEmail, Error);
        var representation = ValidateRepresentation(request.PermanentRepresentation, Error);
        var soiaCoordinatorEmail = ValidateOptionalEmail(request.SoiaCoordinatorEmail, "soiaCoordinatorEmail", Error);
        if (request.CoordinatorLanguage is { } language && !Participants.Languages.Supported.Contains(language))
        {
            Error("coordinatorLanguage", $"The language of the coordinator's e-mails: one of {string.Join(", ", Participants.Languages.Supported)}.");
        }

        var participants = ValidateCodes(request.Participants, "participants", directory, Error);
        var areas = ValidateCodes(request.FlemishPolicyAreas, "flemishPolicyAreas", directory, Error, required: false);
        if (procedure is { } p && participants is not null)
        {
            ValidateRouting(p, participants, areas ?? [], directory, Error);
            if (request.SoiaCoordinatorEmail is not null && !StartsLinkedRound(p, participants, areas ?? []))
            {
                Error("soiaCoordinatorEmail", "Only a COORMULTI round whose Flanders answers through a linked SOIA round (flanders and more than "
                    + $"{RoundRouting.MaxAreasAskedDirectly} Flemish policy areas) names the SOIA coordinator.");
            }

            ValidateCompetences(p, wellFormedItems, participants, Error);
        }

        if (errors.Count > 0)
        {
            return (null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        var round = new RoundDefinition(
            roundId, procedure!.Value, title!, organisation!, kind!.Value, items!, participants!, areas ?? [],
            deadline!.Value, request.SilenceProcedure ?? false, coordinatorEmail!, now,
            PermanentRepresentation: representation!, SoiaCoordinatorEmail: soiaCoordinatorEmail, CoordinatorLanguage: request.CoordinatorLanguage);
        return (round, []);
    }

    /// <summary>
    /// The addresses for the permanent representation: optional, at most <see cref="MaxRepresentationAddresses"/>, each an
    /// e-mail address (once) with the language it reads (nl, fr, de or en) and, optionally, a name for the greeting.
    /// </summary>
    static List<RepresentationAddress>? ValidateRepresentation(List<RepresentationAddressRequest?>? addresses, Action<string, string> error)
    {
        const string field = "permanentRepresentation";
        if (addresses is null || addresses.Count == 0)
        {
            return [];
        }

        if (addresses.Count > MaxRepresentationAddresses)
        {
            error(field, $"At most {MaxRepresentationAddresses} addresses.");
            return null;
        }

        var result = new List<RepresentationAddress>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < addresses.Count; i++)
        {
            var at = $"{field}[{i}]";
            if (addresses[i] is not { } address)
            {
                error(at, "Must be an object with email, language and (optionally) name.");
                continue;
            }

            var email = address.Email?.Trim();
            if (string.IsNullOrEmpty(email) || !IsEmailAddress(email))
            {
                error($"{at}.email", "Required: a valid e-mail address.");
                email = null;
            }
            else if (!seen.Add(email))
            {
                error($"{at}.email", $"'{email}' is listed twice.");
                email = null;
            }

            var language = address.Language?.Trim().ToLowerInvariant();
            if (language is null || !Languages.Contains(language))
            {
                error($"{at}.language", $"Required: one of {string.Join(", ", Languages)}.");
                language = null;
            }

            var name = string.IsNullOrWhiteSpace(address.Name)
                ? null
                : CheckedText(address.Name.Trim(), $"{at}.name", MaxRepresentationNameLength, multiline: false, error);
            if (email is not null && language is not null && (name is not null || string.IsNullOrWhiteSpace(address.Name)))
            {
                result.Add(new RepresentationAddress(email, language, name));
            }
        }

        return result.Count == addresses.Count ? result : null;
    }

    static void ValidateRouting(
        Procedure procedure, List<string> participants, List<string> areas,
        IReadOnlyDictionary<string, Participant> directory, Action<string, string> error)
    {
        var expected = procedure == Procedure.SOIA ? ParticipantLevel.FlemishPolicyArea : ParticipantLevel.BelgianEntity;
        foreach (var code in participants.Where(c => directory.TryGetValue(c, out var d) && d.Level != expected))
        {
            error("participants", procedure == Procedure.SOIA
                ? $"'{code}' is a Belgian entity; a SOIA round consults Flemish policy areas."
                : $"'{code}' is a Flemish policy area; a COORMULTI round consults Belgian entities (name the areas in flemishPolicyAreas).");
        }

        foreach (var code in areas.Where(c => directory.TryGetValue(c, out var d) && d.Level != ParticipantLevel.FlemishPolicyArea))
        {
            error("flemishPolicyAreas", $"'{code}' is not a Flemish policy area.");
        }

        if (procedure == Procedure.SOIA && areas.Count > 0)
        {
            error("flemishPolicyAreas", "Only a COORMULTI round names Flemish policy areas; in a SOIA round they are the participants.");
        }

        if (procedure == Procedure.COORMULTI && participants.Contains(RoundRouting.Flanders) && areas.Count == 0)
        {
            error("flemishPolicyAreas", "A COORMULTI round that consults Flanders names the Flemish policy areas concerned.");
        }

        if (procedure == Procedure.COORMULTI && !participants.Contains(RoundRouting.Flanders) && areas.Count > 0)
        {
            error("flemishPolicyAreas", "Flemish policy areas are named only when Flanders is a participant.");
        }
    }

    /// <summary>Whether the round starts a linked SOIA round, and so has a SOIA coordinator (see <see cref="RoundRouting"/>).</summary>
    static bool StartsLinkedRound(Procedure procedure, List<string> participants, List<string> areas) =>
        procedure == Procedure.COORMULTI && participants.Contains(RoundRouting.Flanders) && areas.Count > RoundRouting.MaxAreasAskedDirectly;

    /// <summary>
    /// An item's competence and lead against the round's participants. In COORMULTI someone in the round must be competent
    /// for each item (else nothing could ever be agreed on it), and the lead is one of them. A SOIA round prepares
    /// Flanders' position: a Federal item has no place in it, and its lead, if any, is the Flemish policy area leading on
    /// the item (every area counts as competent for a Federated or Mixed item; an area says itself when it is not).
    /// </summary>
    static void ValidateCompetences(
        Procedure procedure, List<(int Index, AgendaItem Item)> items, List<string> participants, Action<string, string> error)
    {
        foreach (var (i, item) in items)
        {
            if (procedure == Procedure.SOIA && item.Competence == Competence.Federal)
            {
                error($"items[{i}].competence",
                    "A SOIA round prepares Flanders' position, and Flanders is not competent for a Federal item: use Federated or Mixed, "
                    + "or leave the item to the COORMULTI round.");
            }
            else if (!participants.Any(p => Competences.IsCompetent(item.Competence, p)))
            {
                error($"items[{i}].competence", item.Competence == Competence.Federal
                    ? $"No participant is competent for a Federal item: only the federal level ('{Competences.FederalLevel}') is."
                    : "No participant is competent for a Federated item: only the communities and regions are.");
            }

            if (item.LeadEntity is not { } lead)
            {
                continue;
            }

            if (!participants.Contains(lead))
            {
                error($"items[{i}].leadEntity", $"'{Shorten(lead)}' is not a participant of this round; the lead is one of its participants.");
            }
            else if (!Competences.IsCompetent(item.Competence, lead))
            {
                error($"items[{i}].leadEntity", $"'{lead}' is not competent for a {item.Competence} item; the lead is an entity competent for it.");
            }
        }
    }

    /// <summary>An item's competence: absent means <see cref="Competence.Mixed"/>, everyone competent, as before competences.</summary>
    static Competence? ParseCompetence(string? value, string field, Action<string, string> error)
    {
        if (value is null)
        {
            return Competence.Mixed;
        }

        var match = Enum.GetNames<Competence>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            error(field, $"Unknown competence; use one of {string.Join(", ", Enum.GetNames<Competence>())} (left out: Mixed).");
            return null;
        }

        return Enum.Parse<Competence>(match);
    }

    static string? ParseLead(string? value, string field, Action<string, string> error)
    {
        if (value is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            error(field, "A participant code of this round, or left out when nobody leads.");
            return null;
        }

        return value.Trim();
    }

    static TEnum? ParseEnum<TEnum>(string? value, string field, Action<string, string> error)
        where TEnum : struct, Enum
    {
        var allowed = string.Join(", ", Enum.GetNames<TEnum>());
        if (string.IsNullOrWhiteSpace(value))
        {
            error(field, $"Required; one of {allowed}.");
            return null;
        }

        var match = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            error(field, $"Unknown value; use one of {allowed}.");
            return null;
        }

        return Enum.Parse<TEnum>(match);
    }

    static string? RequiredText(string? value, string field, int maxLength, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            error(field, "Required.");
            return null;
        }

        return CheckedText(value.Trim(), field, maxLength, multiline: false, error);
    }

    /// <summary>Text as people write it: no control characters except line breaks and tabs where lines are allowed.</summary>
    public static string? CheckedText(string value, string field, int maxLength, bool multiline, Action<string, string> error)
    {
        if (value.Length > maxLength)
        {
            error(field, $"At most {maxLength} characters (this has {value.Length}).");
            return null;
        }

        if (value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            error(field, multiline ? "Contains control characters." : "Must be a single line without control characters.");
            return null;
        }

        return value;
    }

    /// <summary>The items, or null if any is wrong; <paramref name="wellFormed"/> has those that are right, by index, for later checks.</summary>
    static List<AgendaItem>? ValidateItems(
        List<AgendaItemRequest?>? items, Action<string, string> error, out List<(int Index, AgendaItem Item)> wellFormed)
    {
        wellFormed = [];
        if (items is null || items.Count == 0)
        {
            error("items", "At least one agenda item or question is required.");
            return null;
        }

        if (items.Count > MaxItems)
        {
            error("items", $"At most {MaxItems} items per round.");
            return null;
        }

        var result = new List<AgendaItem>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"items[{i}]";
            if (items[i] is not { } item)
            {
                error(field, "Must be an object with id, title and text.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(item.Id) || !ItemIdPattern().IsMatch(item.Id))
            {
                error($"{field}.id", "Required: 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }
            else if (!seen.Add(item.Id))
            {
                error($"{field}.id", $"Duplicate item id '{item.Id}'.");
            }

            var title = RequiredText(item.Title, $"{field}.title", MaxItemTitleLength, error);
            string? text = null;
            if (string.IsNullOrWhiteSpace(item.Text))
            {
                error($"{field}.text", "Required: the draft position or question text.");
            }
            else
            {
                text = CheckedText(item.Text.Trim(), $"{field}.text", MaxItemTextLength, multiline: true, error);
            }

            var competence = ParseCompetence(item.Competence, $"{field}.competence", error);
            var lead = ParseLead(item.LeadEntity, $"{field}.leadEntity", error);
            var leadIsFine = lead is not null || item.LeadEntity is null;
            if (item.Id is not null && title is not null && text is not null && competence is { } known && leadIsFine)
            {
                result.Add(new AgendaItem(item.Id, title, text, known, lead));
                wellFormed.Add((i, result[^1]));
            }
        }

        return result.Count == items.Count ? result : null;
    }

    static List<string>? ValidateCodes(
        List<string?>? codes, string field, IReadOnlyDictionary<string, Participant> directory, Action<string, string> error, bool required = true)
    {
        if (codes is null || codes.Count == 0)
        {
            if (required)
            {
                error(field, "At least one participant code from the directory is required.");
            }

            return codes is null ? null : [];
        }

        if (codes.Count > MaxParticipants)
        {
            error(field, $"At most {MaxParticipants} codes.");
            return null;
        }

        var result = new List<string>();
        var ok = true;
        foreach (var code in codes)
        {
            if (code is null || !directory.ContainsKey(code))
            {
                error(field, code is null ? "Codes cannot be null." : $"Unknown participant code '{Shorten(code)}'.");
                ok = false;
            }
            else if (result.Contains(code))
            {
                error(field, $"'{code}' is listed twice.");
                ok = false;
            }
            else
            {
                result.Add(code);
            }
        }

        return ok ? result : null;
    }

    /// <summary>Parses and checks a deadline (a date alone is the end of that day in Brussels); errors go under <c>deadline</c>.</summary>
    public static DateTimeOffset? ValidateDeadline(string? value, DateTimeOffset now, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            error("deadline", "Required: an ISO 8601 date and time with offset, e.g. 2026-12-15T17:00:00+01:00.");
            return null;
        }

        DateTimeOffset deadline;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // A date alone means the end of that working day in Brussels.
            var local = day.ToDateTime(new TimeOnly(23, 59, 59));
            deadline = new DateTimeOffset(local, BrusselsTime.Zone.GetUtcOffset(local));
        }
        else if (!IsoDateTimeWithOffset().IsMatch(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out deadline))
        {
            error("deadline", "Not an ISO 8601 date and time with offset (e.g. 2026-12-15T17:00:00+01:00 or ...Z).");
            return null;
        }

        if (deadline < now + MinimumLeadTime)
        {
            error("deadline", "Must be in the future (at least a minute from now).");
            return null;
        }

        if (deadline > now + MaximumLeadTime)
        {
            error("deadline", "Must be within a year.");
            return null;
        }

        return deadline.ToUniversalTime();
    }

    /// <summary>
    /// Exactly an ISO 8601 date and time with its offset: the lenient .NET parser also takes a weekday, a space for the
    /// <c>T</c> or no offset at all, and then reads the time in the server's zone, which is never what the coordinator meant.
    /// </summary>
    [GeneratedRegex(
        @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IsoDateTimeWithOffset();

    static string? ValidateEmail(string? value, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            error("coordinatorEmail", "Required: where the draft position and notices are sent.");
            return null;
        }

        if (!IsEmailAddress(value))
        {
            error("coordinatorEmail", "Not a valid e-mail address.");
            return null;
        }

        return value.Trim();
    }

    /// <summary>An address that may be left out; given, it must be one.</summary>
    static string? ValidateOptionalEmail(string? value, string field, Action<string, string> error)
    {
        if (value is null)
        {
            return null;
        }

        if (!IsEmailAddress(value))
        {
            error(field, "Not a valid e-mail address.");
            return null;
        }

        return value.Trim();
    }

    public static bool IsEmailAddress(string value) =>
        value.Length <= 254
        && MailAddress.TryCreate(value.Trim(), out var address)
        && address.Address == value.Trim()
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !value.Any(char.IsControl);

    static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
