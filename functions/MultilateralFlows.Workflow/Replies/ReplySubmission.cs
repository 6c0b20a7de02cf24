using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Http;
using MultilateralFlows.Rounds;

namespace MultilateralFlows.Replies;

/// <summary>The JSON form of a reply: <c>{"items":[{"itemId","stance","remarks"}]}</c>.</summary>
public sealed class ReplyRequest
{
    public List<ReplyItemRequest?>? Items { get; set; }
}

public sealed class ReplyItemRequest
{
    public string? ItemId { get; set; }
    public string? Stance { get; set; }
    public string? Remarks { get; set; }
}

/// <summary>
/// Parses a reply (form post or JSON) and checks it against the round's items. Items left out keep the participant's
/// earlier answer, so an amendment can name only what changes; a first reply must answer every item.
/// </summary>
public static class ReplySubmission
{
    public const int MaxRemarksLength = 8_000;
    public const string StanceField = "stance.";
    public const string RemarksField = "remarks.";

    /// <summary>Reads the reply form's fields <c>stance.{itemId}</c> and <c>remarks.{itemId}</c>.</summary>
    public static IReadOnlyList<ReplyItemRequest> FromForm(string body)
    {
        var fields = QueryHelpers.ParseQuery(body);
        return fields.Keys
            .Where(key => key.StartsWith(StanceField, StringComparison.Ordinal) || key.StartsWith(RemarksField, StringComparison.Ordinal))
            .Select(key => key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..])
            .Distinct(StringComparer.Ordinal)
            .Select(itemId => new ReplyItemRequest
            {
                ItemId = itemId,
                Stance = fields.TryGetValue(StanceField + itemId, out var stance) ? stance.ToString() : null,
                Remarks = fields.TryGetValue(RemarksField + itemId, out var remarks) ? remarks.ToString() : null,
            })
            .ToList();
    }

    /// <summary>Checks the submitted items; returns the complete set of answers for the new version, or the errors per field.</summary>
    /// <param name="submitted">What the participant sent.</param>
    /// <param name="round">The round's items.</param>
    /// <param name="previous">The participant's latest reply, if any: its answers stand where nothing new is given.</param>
    /// <param name="isOpen">Which items can be answered now (all in a first iteration; the reopened ones after).</param>
    /// <param name="texts">The language the checks speak (the participant's in the form; English for JSON).</param>
    public static (IReadOnlyList<ItemReply>? Replies, Dictionary<string, string[]> Errors) Validate(
        IReadOnlyList<ReplyItemRequest?> submitted,
        RoundDefinition round,
        Contribution? previous,
        Func<string, bool>? isOpen = null,
        ReplyPageTexts? texts = null)
    {
        var errors = new Dictionary<string, string[]>();
        var known = round.Items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        isOpen ??= _ => true;
        texts ??= ReplyPageTexts.English;
        var answers = previous?.Items.ToDictionary(i => i.ItemId, StringComparer.Ordinal)
            ?? new Dictionary<string, ItemReply>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        if (submitted.Count == 0)
        {
            errors["items"] = [texts.AtLeastOne];
        }

        for (var i = 0; i < submitted.Count; i++)
        {
            var field = $"items[{i}]";
            if (submitted[i] is not { } item)
            {
                errors[field] = ["Must be an object with itemId, stance and remarks."];
                continue;
            }

            if (item.ItemId is null || !known.Contains(item.ItemId))
            {
                errors[$"{field}.itemId"] = [item.ItemId is null ? "Required." : "This round has no such item."];
                continue;
            }

            if (!seen.Add(item.ItemId))
            {
                errors[$"{field}.itemId"] = [$"Item '{item.ItemId}' is answered twice."];
                continue;
            }

            if (!isOpen(item.ItemId))
            {
                errors[$"{field}.itemId"] = [texts.NotReopened(item.ItemId)];
                continue;
            }

            var stanceName = Enum.GetNames<Stance>().FirstOrDefault(n => string.Equals(n, item.Stance?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (stanceName is null)
            {
                errors[$"{field}.stance"] = [$"{texts.ChooseStance} ({string.Join(", ", Enum.GetNames<Stance>())})"];
                continue;
            }

            var stance = Enum.Parse<Stance>(stanceName);
            var remarks = string.IsNullOrWhiteSpace(item.Remarks) ? null : item.Remarks.Trim().ReplaceLineEndings("\n");
            var remarkErrors = new List<string>();
            if (remarks is { Length: > MaxRemarksLength })
            {
                remarkErrors.Add(texts.TooLong(MaxRemarksLength, remarks.Length));
            }
            else if (remarks is not null && remarks.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
            {
                remarkErrors.Add(texts.ControlCharacters);
            }
            else if (remarks is null && stance is Stance.AgreeWithRemarks or Stance.Objection)
            {
                remarkErrors.Add(stance == Stance.Objection ? texts.ExplainObjection : texts.GiveRemarks);
            }

            if (remarkErrors.Count > 0)
            {
                errors[$"{field}.remarks"] = [.. remarkErrors];
                continue;
            }

            answers[item.ItemId] = new ItemReply(item.ItemId, stance, remarks);
        }

        var unanswered = round.Items.Where(i => !answers.ContainsKey(i.Id)).Select(i => i.Id).ToList();
        if (unanswered.Count > 0 && errors.Count == 0)
        {
            errors["items"] = [texts.Missing(string.Join(", ", unanswered))];
        }

        return errors.Count > 0
            ? (null, errors)
            : (round.Items.Select(i => answers[i.Id]).ToList(), errors);
    }

    public static async Task<(IReadOnlyList<ReplyItemRequest?>? Items, IResult? Problem)> ReadAsync(
        HttpRequest request, int limitBytes, CancellationToken cancellationToken)
    {
        var isForm = RequestBody.IsForm(request);
        if (!isForm && !RequestBody.IsJson(request))
        {
            return (null, Problems.UnsupportedMediaType("application/json or application/x-www-form-urlencoded"));
        }

        var body = await RequestBody.ReadTextAsync(request, limitBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return (null, body.Problem);
        }

        if (isForm)
        {
            return RequestBody.IsWellEncodedForm(body.Text!)
                ? (FromForm(body.Text!), null)
                : (null, Problems.BadRequest("The form's percent-escapes are not valid UTF-8."));
        }

        var (parsed, problem) = RequestBody.ParseJson<ReplyRequest>(body.Text!);
        if (problem is not null)
        {
            return (null, problem);
        }

        return parsed!.Items is null
            ? (null, Problems.BadRequest("'items' is required: a list of {itemId, stance, remarks}."))
            : (parsed.Items, null);
    }
}
