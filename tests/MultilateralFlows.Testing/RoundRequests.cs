using System.Text.Json.Nodes;

namespace MultilateralFlows.Testing;

/// <summary>Round requests for tests, as JSON the API accepts; change what a test is about and keep the rest valid.</summary>
public static class RoundRequests
{
    public static JsonObject Soia(params string[] participants) => new()
    {
        ["procedure"] = "SOIA",
        ["title"] = "UNESCO Executive Board, 221st session: draft decisions",
        ["organisation"] = "UNESCO",
        ["kind"] = "BoardMeeting",
        ["items"] = new JsonArray(
            Item("5.I", "Draft programme and budget", "Belgium supports zero real growth with the proposed priorities."),
            Item("12", "Ethics of neurotechnology", "Belgium welcomes the draft recommendation and supports its adoption.")),
        ["participants"] = new JsonArray(participants.Length == 0
            ? ["education", "culture-youth-media", "economy-science-innovation"]
            : participants.Select(p => (JsonNode)p!).ToArray()),
        ["deadline"] = DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["silenceProcedure"] = false,
        ["coordinatorEmail"] = "coordinator@vlaanderen.example",
    };

    public static JsonObject Item(string id, string title, string text) => new() { ["id"] = id, ["title"] = title, ["text"] = text };

    /// <summary>An item with its competence (<c>Federal</c>, <c>Federated</c>, <c>Mixed</c>) and, if given, the entity that leads.</summary>
    public static JsonObject Item(string id, string title, string text, string competence, string? leadEntity = null)
    {
        var item = Item(id, title, text);
        item["competence"] = competence;
        if (leadEntity is not null)
        {
            item["leadEntity"] = leadEntity;
        }

        return item;
    }

    public static JsonObject With(this JsonObject request, string property, JsonNode? value)
    {
        var copy = request.DeepClone().AsObject();
        copy[property] = value;
        return copy;
    }

    public static JsonObject Without(this JsonObject request, string property)
    {
        var copy = request.DeepClone().AsObject();
        copy.Remove(property);
        return copy;
    }
}
