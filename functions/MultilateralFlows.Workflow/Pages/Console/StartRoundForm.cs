using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Pages.Console;

/// <summary>One agenda item row of the start form, as typed (every field a string, empty when left empty).</summary>
public sealed record ItemRow(string Number = "", string Title = "", string Text = "", string Competence = nameof(Rounds.Competence.Mixed), string Lead = "")
{
    public bool IsEmpty => Number.Length == 0 && Title.Length == 0 && Text.Length == 0 && Lead.Length == 0;
}

/// <summary>
/// The console's start-a-round form as typed: read from a form post, rendered back as it was (errors and preview
/// included), and turned into the same <see cref="StartRoundRequest"/> that <c>POST /api/rounds</c> takes, so that one
/// validator and one start path serve both. Field names in the HTML are the property names in camel case, and an item
/// row's are <c>item{n}.number</c>, <c>item{n}.title</c>, ...
/// </summary>
public sealed partial record StartRoundForm
{
    /// <summary>The rows a new form has; "Add an item" adds one, up to the validator's maximum.</summary>
    public const int BlankRows = 3;

    /// <summary>The button pressed: <see cref="StartAction"/>, <see cref="PreviewAction"/> or <see cref="AddItemAction"/>.</summary>
    public const string ActionField = "action";
    public const string StartAction = "start";
    public const string PreviewAction = "preview";
    public const string AddItemAction = "add-item";

    public string Title { get; init; } = "";
    public string Organisation { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Procedure { get; init; } = "";

    /// <summary>A <c>datetime-local</c> value (<c>2026-12-15T17:00</c>), read in Brussels time.</summary>
    public string Deadline { get; init; } = "";
    public bool SilenceProcedure { get; init; }
    public string CoordinatorEmail { get; init; } = "";
    public string SoiaCoordinatorEmail { get; init; } = "";
    public IReadOnlyList<string> Entities { get; init; } = [];
    public IReadOnlyList<string> Areas { get; init; } = [];
    public IReadOnlyList<ItemRow> Items { get; init; } = [];

    /// <summary>
    /// Generated when the form is first shown and carried in a hidden field: the start's <c>Idempotency-Key</c>, so that
    /// a form sent twice (a double click, a retry after a time-out) starts one round.
    /// </summary>
    public string IdempotencyKey { get; init; } = "";

    public string Action { get; init; } = "";

    /// <summary>A new form: the signed-in person as the coordinator's address until they name the round's mailbox.</summary>
    public static StartRoundForm Blank(string coordinatorEmail) => new()
    {
        CoordinatorEmail = coordinatorEmail,
        Items = [.. Enumerable.Range(0, BlankRows).Select(_ => new ItemRow())],
        IdempotencyKey = NewKey(),
    };

    public static string NewKey() => $"console-{Guid.NewGuid():N}";

    public static StartRoundForm Read(IReadOnlyDictionary<string, StringValues> fields)
    {
        string One(string name) => fields.TryGetValue(name, out var values) ? (values.LastOrDefault() ?? "").Trim() : "";
        IReadOnlyList<string> Many(string name) =>
            fields.TryGetValue(name, out var values) ? [.. values.OfType<string>().Select(v => v.Trim()).Where(v => v.Length > 0).Distinct()] : [];

        // Rows are numbered by the page, not trusted: read in order, up to the validator's maximum, gaps closed.
        var rows = fields.Keys
            .Select(k => ItemField().Match(k))
            .Where(m => m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Where(n => n < 1_000)
            .Distinct()
            .Order()
            .Take(RoundRequestValidator.MaxItems + 1)
            .Select(n => new ItemRow(
                One($"item{n}.number"), One($"item{n}.title"), One($"item{n}.text"),
                One($"item{n}.competence") is { Length: > 0 } competence ? competence : nameof(Rounds.Competence.Mixed),
                One($"item{n}.lead")))
            .ToList();
        var key = One("idempotencyKey");
        return new StartRoundForm
        {
            Title = One("title"),
            Organisation = One("organisation"),
            Kind = One("kind"),
            Procedure = One("procedure"),
            Deadline = One("deadline"),
            SilenceProcedure = One("silenceProcedure") == "true",
            CoordinatorEmail = One("coordinatorEmail"),
            SoiaCoordinatorEmail = One("soiaCoordinatorEmail"),
            Entities = Many("entities"),
            Areas = Many("areas"),
            Items = rows,
            IdempotencyKey = StartKeyStore.Check(key) is null ? key : NewKey(),
            Action = One(ActionField),
        };
    }

    [GeneratedRegex(@"^item(\d{1,3})\.")]
    private static partial Regex ItemField();

    bool IsSoia => string.Equals(Procedure, nameof(Rounds.Procedure.SOIA), StringComparison.OrdinalIgnoreCase);

    /// <summary>The rows that say something, with their place in <see cref="Items"/>: the items of the round, in order.</summary>
    IReadOnlyList<(int Row, ItemRow Item)> FilledRows => [.. Items.Select((item, row) => (row, item)).Where(r => !r.item.IsEmpty)];

    /// <summary>
    /// The request this form asks for. A SOIA round consults the policy areas ticked (and any entity ticked, which the
    /// validator then refuses by name); a COORMULTI round the entities, with the areas as Flanders' policy areas.
    /// </summary>
    public StartRoundRequest ToRequest() => new()
    {
        Procedure = OrNull(Procedure),
        Title = OrNull(Title),
        Organisation = OrNull(Organisation),
        Kind = OrNull(Kind),
        Items = [.. FilledRows.Select((r, place) => (AgendaItemRequest?)new AgendaItemRequest
        {
            Id = r.Item.Number.Length > 0 ? r.Item.Number : (place + 1).ToString(CultureInfo.InvariantCulture),
            Title = r.Item.Title,
            Text = r.Item.Text,
            Competence = r.Item.Competence,
            LeadEntity = OrNull(r.Item.Lead),
        })],
        Participants = IsSoia ? [.. Areas, .. Entities] : [.. Entities],
        FlemishPolicyAreas = IsSoia ? [] : [.. Areas],
        Deadline = DeadlineWithOffset(Deadline),
        SilenceProcedure = SilenceProcedure,
        CoordinatorEmail = OrNull(CoordinatorEmail),
        SoiaCoordinatorEmail = OrNull(SoiaCoordinatorEmail),
    };

    /// <summary>
    /// What tells this request from another under the same idempotency key: the request as JSON, so the same form sent
    /// twice has the same fingerprint, and a form changed after it started a round has another.
    /// </summary>
    public string Fingerprint() => StartKeyStore.Fingerprint(JsonSerializer.Serialize(ToRequest(), WorkflowJson.Options));

    static string? OrNull(string value) => value.Length == 0 ? null : value;

    /// <summary>A <c>datetime-local</c> value in Brussels time as the ISO 8601 date and time with its offset the API takes.</summary>
    public static string? DeadlineWithOffset(string value) => value.Length == 0 ? null : BrusselsTime.TypedToIso(value);

    /// <summary>The <c>datetime-local</c> value of an instant in Brussels time, to show a deadline in the form.</summary>
    public static string LocalValue(DateTimeOffset instant) =>
        BrusselsTime.ToBrussels(instant).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// The validator's errors (keyed by the API's field names, <c>items[2].text</c>) keyed by the id of the form control
    /// they concern (<c>item4-text</c> when the third item filled in is the fifth row), so each shows next to its field.
    /// </summary>
    public Dictionary<string, string[]> FieldErrors(IReadOnlyDictionary<string, string[]> errors)
    {
        var rows = FilledRows;
        var result = new Dictionary<string, List<string>>();
        foreach (var (field, messages) in errors)
        {
            var id = FieldId(field, rows);
            if (!result.TryGetValue(id, out var list))
            {
                result[id] = list = [];
            }

            list.AddRange(messages);
        }

        return result.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    string FieldId(string field, IReadOnlyList<(int Row, ItemRow Item)> rows)
    {
        var item = ItemError().Match(field);
        if (item.Success)
        {
            var index = int.Parse(item.Groups[1].Value, CultureInfo.InvariantCulture);
            var row = index < rows.Count ? rows[index].Row : 0;
            var part = item.Groups[2].Value switch
            {
                "id" => "number",
                "text" => "text",
                "competence" => "competence",
                "leadEntity" => "lead",
                _ => "title",
            };
            return $"item{row}-{part}";
        }

        return field switch
        {
            "participants" => IsSoia ? "areas" : "entities",
            "flemishPolicyAreas" => "areas",
            "title" or "organisation" or "kind" or "procedure" or "deadline" or "coordinatorEmail" or "soiaCoordinatorEmail" or "items" => field,
            _ => "form",
        };
    }

    [GeneratedRegex(@"^items\[(\d+)\](?:\.(\w+))?$")]
    private static partial Regex ItemError();
}
