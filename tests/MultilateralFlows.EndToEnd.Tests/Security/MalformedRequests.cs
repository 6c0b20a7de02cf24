using System.Text;
using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Security;

/// <summary>How a refusal must come back.</summary>
public enum Answer
{
    /// <summary>RFC 9457 problem details: <c>application/problem+json</c>.</summary>
    Problem,

    /// <summary>A reply page: <c>text/html</c> with the reply pages' security headers (a browser posted the form).</summary>
    Page,

    /// <summary>Refused by the web server before any route runs (a request line or header it cannot parse): a 4xx, no body promised.</summary>
    Server,
}

/// <summary>
/// One malformed request. <see cref="Path"/> may name the fixture's rounds and reply tokens as {collecting},
/// {reviewing}, {final}, {token} (a participant of the collecting round who has not replied) and {reviewToken}.
/// </summary>
public sealed record MalformedRequest(
    string Route,
    string Name,
    string Method,
    string Path,
    int Status,
    Answer Answer,
    byte[]? Body = null,
    string? ContentType = null,
    bool Chunked = false,
    byte[]? Raw = null)
{
    public string Id => $"{Route} | {Name}";

    public override string ToString() => Id;
}

/// <summary>
/// The table of malformed requests: every route, each with wrong types, missing fields, unknown codes, oversize
/// values, huge bodies, deep JSON, invalid UTF-8, wrong media types, path traversal in ids and tokens; plus unknown
/// routes and methods, and requests only a raw socket can send. Expected statuses are exact: they are the answer the
/// caller gets, and a change to them should be a decision.
/// </summary>
public static class MalformedRequests
{
    const string Json = "application/json";
    const string Form = "application/x-www-form-urlencoded";

    /// <summary>Markup in the fields of refused requests: whatever comes back must not carry it unencoded.</summary>
    public static readonly string[] Markup =
    [
        "<script>alert('mf-xss')</script>",
        "\"><img src=x onerror=alert('mf-xss')>",
        "<iframe src=javascript:alert('mf-xss')>",
    ];

    static readonly Lazy<IReadOnlyList<MalformedRequest>> Table = new(Build);

    public static IReadOnlyList<MalformedRequest> All => Table.Value;

    public static MalformedRequest Find(string id) => All.Single(c => c.Id == id);

    static IReadOnlyList<MalformedRequest> Build()
    {
        var cases = new List<MalformedRequest>();
        cases.AddRange(StartRound());
        cases.AddRange(ListRounds());
        cases.AddRange(RoundIds());
        cases.AddRange(Position());
        cases.AddRange(MoveDeadline());
        cases.AddRange(Review());
        cases.AddRange(Cancel());
        cases.AddRange(LateContribution());
        cases.AddRange(Settlement());
        cases.AddRange(ReplyTokens());
        cases.AddRange(ReplyJson());
        cases.AddRange(ReplyForm());
        cases.AddRange(ConsoleSignIn());
        cases.AddRange(ConsoleRoundPage());
        cases.AddRange(RoutesAndMethods());
        cases.AddRange(RawRequests());
        return cases;
    }

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    static byte[] Bytes(params byte[] bytes) => bytes;

    static string Deep(int depth, string inner = "1") => new string('[', depth) + inner + new string(']', depth);

    static string Repeat(char c, int count) => new(c, count);

    /// <summary>A JSON object whose one string property makes the body <paramref name="bytes"/> long.</summary>
    static byte[] Padded(string property, int bytes) => Utf8($"{{\"{property}\":\"{Repeat('x', bytes - property.Length - 7)}\"}}");

    /// <summary>Bodies that are not JSON, or not UTF-8, or too deep, whatever the route.</summary>
    static IEnumerable<(string Name, byte[] Body)> BrokenJson() =>
    [
        ("empty body", []),
        ("only whitespace", Utf8("  \n\t ")),
        ("unterminated object", Utf8("{")),
        ("stray closing brace", Utf8("}")),
        ("unterminated array", Utf8("[1,2")),
        ("bare word", Utf8("nul")),
        ("single quotes", Utf8("{'decision':'approve'}")),
        ("trailing comma", Utf8("{\"reason\":\"x\",}")),
        ("comment", Utf8("/* c */ {}")),
        ("NaN", Utf8("{\"x\":NaN}")),
        ("null", Utf8("null")),
        ("array instead of object", Utf8("[]")),
        ("string instead of object", Utf8("\"text\"")),
        ("number instead of object", Utf8("42")),
        ("invalid UTF-8 bytes", Bytes(0x7B, 0x22, 0x78, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D)),
        ("overlong UTF-8 encoding of '/'", Bytes(0x7B, 0x22, 0x78, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D)),
        ("UTF-8 cut in the middle of a character", Bytes(0x7B, 0x22, 0x78, 0x22, 0x3A, 0x22, 0xE2, 0x82, 0x22, 0x7D)),
        ("UTF-8 encoded surrogate", Bytes(0x7B, 0x22, 0x78, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D)),
        ("UTF-16 with byte order mark", [.. new byte[] { 0xFF, 0xFE }, .. Encoding.Unicode.GetBytes("{\"x\":1}")]),
        ("escaped lone surrogate", Utf8("{\"x\":\"\\ud800\"}")),
        ("JSON nested 17 deep", Utf8($"{{\"x\":{Deep(16)}}}")),
        ("JSON nested 1000 deep", Utf8($"{{\"x\":{Deep(999)}}}")),
        ("JSON nested 5000 deep in an unknown property", Utf8($"{{\"unknown\":{Deep(5000)}}}")),
    ];

    static IEnumerable<MalformedRequest> StartRound()
    {
        const string route = "POST /api/rounds";
        MalformedRequest Case(string name, byte[] body, int status = 400, string? contentType = Json) =>
            new(route, name, "POST", "/api/rounds", status, Answer.Problem, body, contentType);
        MalformedRequest With(string name, string property, JsonNode? value) =>
            Case(name, Utf8(RoundRequests.Soia().With(property, value).ToJsonString()));
        var valid = Utf8(RoundRequests.Soia().ToJsonString());

        foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", Form })
        {
            yield return Case($"media type {type}", valid, 415, type);
        }

        yield return Case("no media type", valid, 415, contentType: null);
        foreach (var (name, body) in BrokenJson())
        {
            yield return Case(name, body);
        }

        yield return Case("body just over 512 KiB", Padded("title", (512 * 1024) + 1), 413);
        yield return Case("body of 2 MiB", Padded("title", 2 * 1024 * 1024), 413);
        yield return Case("body of 10 MiB", Padded("title", 10 * 1024 * 1024), 413);
        yield return new(route, "body of 600 KiB without Content-Length (chunked)", "POST", "/api/rounds", 413, Answer.Problem, Padded("title", 600 * 1024), Json, Chunked: true);

        // Wrong JSON types, field by field.
        foreach (var field in new[] { "procedure", "title", "organisation", "kind", "deadline", "coordinatorEmail" })
        {
            yield return With($"{field} is a number", field, 42);
            yield return With($"{field} is a boolean", field, true);
            yield return With($"{field} is an array", field, new JsonArray("x"));
            yield return With($"{field} is an object", field, new JsonObject { ["value"] = "x" });
        }

        foreach (var field in new[] { "items", "participants", "flemishPolicyAreas" })
        {
            yield return With($"{field} is a string", field, "education");
            yield return With($"{field} is a number", field, 7);
            yield return With($"{field} is an object", field, new JsonObject { ["0"] = "education" });
            yield return With($"{field} is a boolean", field, false);
        }

        yield return With("silenceProcedure is a string", "silenceProcedure", "yes");
        yield return With("silenceProcedure is a number", "silenceProcedure", 1);
        yield return With("silenceProcedure is an array", "silenceProcedure", new JsonArray());
        yield return With("an item is a number", "items", new JsonArray(42));
        yield return With("an item is a string", "items", new JsonArray("5.I"));
        yield return With("an item is an array", "items", new JsonArray(new JsonArray()));
        yield return With("an item is null", "items", new JsonArray((JsonNode?)null));
        yield return With("an item id is a number", "items", new JsonArray(new JsonObject { ["id"] = 5, ["title"] = "t", ["text"] = "x" }));
        yield return With("an item title is an array", "items", new JsonArray(new JsonObject { ["id"] = "5", ["title"] = new JsonArray(), ["text"] = "x" }));
        yield return With("an item text is an object", "items", new JsonArray(new JsonObject { ["id"] = "5", ["title"] = "t", ["text"] = new JsonObject() }));
        yield return With("a participant is a number", "participants", new JsonArray(1));
        yield return With("a participant is an array", "participants", new JsonArray(new JsonArray("education")));
        yield return With("a participant is null", "participants", new JsonArray("education", null));

        // Missing and null required fields.
        foreach (var field in new[] { "procedure", "title", "organisation", "kind", "items", "participants", "deadline", "coordinatorEmail" })
        {
            yield return Case($"{field} missing", Utf8(RoundRequests.Soia().Without(field).ToJsonString()));
            yield return With($"{field} null", field, null);
        }

        yield return Case("empty object", Utf8("{}"));

        // Unknown codes and values, and routing rules.
        yield return With("unknown procedure", "procedure", "S0IA");
        yield return With("procedure with markup", "procedure", Markup[0]);
        yield return With("unknown kind", "kind", "Party");
        yield return With("unknown participant", "participants", new JsonArray("nobody"));
        yield return With("participant code with path traversal", "participants", new JsonArray("../../etc/passwd"));
        yield return With("participant code in the wrong case", "participants", new JsonArray("Education"));
        yield return With("participant code with markup", "participants", new JsonArray(Markup[1]));
        yield return With("participant listed twice", "participants", new JsonArray("education", "education"));
        yield return With("empty participant code", "participants", new JsonArray(""));
        yield return With("no participants", "participants", new JsonArray());
        yield return With("SOIA round with a Belgian entity", "participants", new JsonArray("education", "federal"));
        yield return With("SOIA round naming Flemish policy areas", "flemishPolicyAreas", new JsonArray("education"));
        yield return Case("COORMULTI round with a Flemish policy area as participant", Utf8(RoundRequests.Soia().With("procedure", "COORMULTI").With("participants", new JsonArray("federal", "education")).ToJsonString()));
        yield return Case("COORMULTI round with Flanders but no areas", Utf8(RoundRequests.Soia().With("procedure", "COORMULTI").With("participants", new JsonArray("federal", "flanders")).ToJsonString()));
        yield return Case("COORMULTI round with areas but without Flanders", Utf8(RoundRequests.Soia().With("procedure", "COORMULTI").With("participants", new JsonArray("federal")).With("flemishPolicyAreas", new JsonArray("education")).ToJsonString()));
        yield return Case("COORMULTI round with an unknown area", Utf8(RoundRequests.Soia().With("procedure", "COORMULTI").With("participants", new JsonArray("flanders")).With("flemishPolicyAreas", new JsonArray("nowhere")).ToJsonString()));

        // Deadlines.
        yield return With("deadline in words", "deadline", "next Friday");
        yield return With("deadline in the past", "deadline", "2020-01-01T00:00:00Z");
        yield return With("deadline within a minute", "deadline", DateTimeOffset.UtcNow.AddSeconds(20).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        yield return With("deadline in two years", "deadline", DateTimeOffset.UtcNow.AddYears(2).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        yield return With("deadline without an offset", "deadline", DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm:ss"));
        yield return With("deadline with a weekday and no offset", "deadline", $"Thu {DateTimeOffset.UtcNow.AddDays(10):yyyy-MM-dd} 17:00");
        yield return With("deadline with a space for the T", "deadline", $"{DateTimeOffset.UtcNow.AddDays(10):yyyy-MM-dd} 17:00:00+01:00");
        yield return With("deadline on 30 February", "deadline", "2027-02-30T10:00:00Z");
        yield return With("deadline past year 9999", "deadline", "9999-12-31T23:59:59-14:00");
        yield return With("deadline empty", "deadline", "");

        // Coordinator e-mail.
        yield return With("coordinator e-mail without @", "coordinatorEmail", "coordinator.vlaanderen.example");
        yield return With("coordinator e-mail without a domain", "coordinatorEmail", "a@b");
        yield return With("coordinator e-mail with a header injection", "coordinatorEmail", "coordinator@vlaanderen.example\r\nBcc: all@elsewhere.example");
        yield return With("coordinator e-mail with markup", "coordinatorEmail", $"{Markup[0]}@vlaanderen.example");
        yield return With("coordinator e-mail of 300 characters", "coordinatorEmail", $"{Repeat('a', 280)}@vlaanderen.example");
        yield return With("coordinator e-mail with a space", "coordinatorEmail", "co ordinator@vlaanderen.example");

        // Items.
        JsonObject Item(string id = "5.I", string title = "Budget", string text = "Zero real growth.") => RoundRequests.Item(id, title, text);
        yield return With("no items", "items", new JsonArray());
        yield return With("51 items", "items", new JsonArray(Enumerable.Range(1, 51).Select(i => (JsonNode)Item($"i{i}")).ToArray()));
        yield return With("duplicate item ids", "items", new JsonArray(Item("a"), Item("A")));
        yield return With("item id with path traversal", "items", new JsonArray(Item("../../x")));
        yield return With("item id with a slash", "items", new JsonArray(Item("a/b")));
        yield return With("item id with markup", "items", new JsonArray(Item(Markup[0])));
        yield return With("item id of 41 characters", "items", new JsonArray(Item(Repeat('a', 41))));
        yield return With("empty item id", "items", new JsonArray(Item("")));
        yield return With("item id starting with a dash", "items", new JsonArray(Item("-a")));
        yield return With("item title of 301 characters", "items", new JsonArray(Item(title: Repeat('t', 301))));
        yield return With("item title over two lines", "items", new JsonArray(Item(title: "first\nsecond")));
        yield return With("item title with a NUL character", "items", new JsonArray(Item(title: "budget\u0000")));
        yield return With("item text of 20001 characters", "items", new JsonArray(Item(text: Repeat('x', 20_001))));
        yield return With("item text only whitespace", "items", new JsonArray(Item(text: "   \n  ")));
        yield return With("item text with an escape character", "items", new JsonArray(Item(text: "draft \u001b[31m red")));
        yield return With("item competence unknown", "items", new JsonArray(RoundRequests.Item("5.I", "Budget", "Zero.", "Regional")));
        yield return With("item competence Federal in SOIA", "items", new JsonArray(RoundRequests.Item("5.I", "Budget", "Zero.", "Federal")));
        yield return With("item competence a number", "items", new JsonArray(Item().With("competence", 1)));
        yield return With("item lead not a participant", "items", new JsonArray(RoundRequests.Item("5.I", "Budget", "Zero.", "Mixed", "federal")));
        yield return With("item lead with markup", "items", new JsonArray(RoundRequests.Item("5.I", "Budget", "Zero.", "Mixed", Markup[0])));
        yield return With("item lead an array", "items", new JsonArray(Item().With("leadEntity", new JsonArray("education"))));

        // Title and organisation.
        yield return With("title of 201 characters", "title", Repeat('t', 201));
        yield return With("title over two lines", "title", "UNESCO\nExecutive Board");
        yield return With("title only whitespace", "title", "   ");
        yield return With("organisation of 121 characters", "organisation", Repeat('o', 121));
        yield return With("organisation with a tab", "organisation", "UN\tESCO");
        yield return With("organisation with a bell", "organisation", "UNESCO\u0007");
    }

    static IEnumerable<MalformedRequest> ListRounds()
    {
        const string route = "GET /api/rounds";
        foreach (var (name, query) in new[]
        {
            ("unknown phase", "phase=Sleeping"),
            ("phase as a number", "phase=1"),
            ("phase with markup", $"phase={Uri.EscapeDataString(Markup[0])}"),
            ("unknown procedure", "procedure=OECD"),
            ("top zero", "top=0"),
            ("top negative", "top=-5"),
            ("top above 500", "top=501"),
            ("top not a number", "top=ten"),
            ("top in exponent form", "top=1e2"),
            ("organisation of 121 characters", $"organisation={Repeat('o', 121)}"),
            ("continuation of 1025 characters", $"continuation={Repeat('c', 1025)}"),
        })
        {
            yield return new(route, name, "GET", $"/api/rounds?{query}", 400, Answer.Problem);
        }
    }

    /// <summary>Ids that are not round ids, on every route with an id: each is refused before storage is asked.</summary>
    static IEnumerable<MalformedRequest> RoundIds()
    {
        string[] ids =
        [
            "..%2F..%2F..%2Fetc%2Fpasswd",
            "..%5C..%5Cwindows",
            "%2E%2E%2F",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "UPPERCASE",
            "with%20space",
            "quote'%20or%20'1'%3D'1",
            Repeat('a', 81),
            "-starts-with-a-dash",
            "00000000000000000000000000000000",
        ];
        var body = Utf8("{\"deadline\":\"2099-01-01T00:00:00Z\",\"decision\":\"approve\"}");
        foreach (var id in ids)
        {
            var label = id.Length > 40 ? $"{id[..12]}… ({id.Length} characters)" : id;
            yield return new("GET /api/rounds/{id}", $"id {label}", "GET", $"/api/rounds/{id}", 404, Answer.Problem);
            yield return new("GET /api/rounds/{id}/position", $"id {label}", "GET", $"/api/rounds/{id}/position", 404, Answer.Problem);
            yield return new("GET /api/rounds/{id}/audit", $"id {label}", "GET", $"/api/rounds/{id}/audit", 404, Answer.Problem);
            yield return new("POST /api/rounds/{id}/deadline", $"id {label}", "POST", $"/api/rounds/{id}/deadline", 404, Answer.Problem, body, Json);
            yield return new("POST /api/rounds/{id}/reminders", $"id {label}", "POST", $"/api/rounds/{id}/reminders", 404, Answer.Problem);
            yield return new("POST /api/rounds/{id}/review", $"id {label}", "POST", $"/api/rounds/{id}/review", 404, Answer.Problem, body, Json);
            yield return new("POST /api/rounds/{id}/cancel", $"id {label}", "POST", $"/api/rounds/{id}/cancel", 404, Answer.Problem);
            yield return new(
                "POST /api/rounds/{id}/late-contributions/{participant}", $"id {label}", "POST", $"/api/rounds/{id}/late-contributions/flanders",
                404, Answer.Problem, body, Json);
        }
    }

    static IEnumerable<MalformedRequest> Position()
    {
        const string route = "GET /api/rounds/{id}/position";
        foreach (var format in new[] { "pdf", "", "JSON%20", "%3Cscript%3E", "..%2F..%2Fposition.json" })
        {
            yield return new(route, $"format '{format}'", "GET", $"/api/rounds/{{reviewing}}/position?format={format}", 400, Answer.Problem);
        }

        yield return new(route, "position before there is one", "GET", "/api/rounds/{collecting}/position", 404, Answer.Problem);
    }

    static IEnumerable<MalformedRequest> MoveDeadline()
    {
        const string route = "POST /api/rounds/{id}/deadline";
        MalformedRequest Case(string name, byte[] body, int status = 400, string? contentType = Json) =>
            new(route, name, "POST", "/api/rounds/{collecting}/deadline", status, Answer.Problem, body, contentType);

        yield return Case("media type text/plain", Utf8("{\"deadline\":\"2099-01-01T00:00:00Z\"}"), 415, "text/plain");
        yield return Case("no body", [], 415, contentType: null);
        foreach (var (name, body) in BrokenJson().Where((_, i) => i % 2 == 0))
        {
            yield return Case(name, body);
        }

        yield return Case("body just over 16 KiB", Padded("deadline", (16 * 1024) + 1), 413);
        yield return Case("body of 1 MiB", Padded("deadline", 1024 * 1024), 413);
        yield return Case("deadline missing", Utf8("{}"));
        yield return Case("deadline is a number", Utf8("{\"deadline\":20991231}"));
        yield return Case("deadline is a boolean", Utf8("{\"deadline\":true}"));
        yield return Case("deadline is an object", Utf8("{\"deadline\":{\"date\":\"2099-01-01\"}}"));
        yield return Case("deadline in words", Utf8("{\"deadline\":\"tomorrow\"}"));
        yield return Case("deadline in the past", Utf8("{\"deadline\":\"2001-01-01T00:00:00Z\"}"));
        yield return Case("deadline in two years", Utf8($"{{\"deadline\":\"{DateTimeOffset.UtcNow.AddYears(2):yyyy-MM-ddTHH:mm:ssZ}\"}}"));
        yield return Case("deadline without an offset", Utf8($"{{\"deadline\":\"{DateTimeOffset.UtcNow.AddDays(3):yyyy-MM-ddTHH:mm:ss}\"}}"));
        yield return Case("deadline with a weekday and no offset", Utf8($"{{\"deadline\":\"Thu {DateTimeOffset.UtcNow.AddDays(10):yyyy-MM-dd} 17:00\"}}"));
        yield return Case("deadline with markup", Utf8(new JsonObject { ["deadline"] = Markup[0] }.ToJsonString()));
    }

    static IEnumerable<MalformedRequest> Review()
    {
        const string route = "POST /api/rounds/{id}/review";
        MalformedRequest Case(string name, byte[] body, int status = 400, string? contentType = Json) =>
            new(route, name, "POST", "/api/rounds/{reviewing}/review", status, Answer.Problem, body, contentType);
        string Future(int days) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-ddTHH:mm:ssZ");

        yield return Case("media type text/plain", Utf8("{\"decision\":\"approve\"}"), 415, "text/plain");
        yield return Case("form post", Utf8("decision=approve"), 415, Form);
        foreach (var (name, body) in BrokenJson().Where((_, i) => i % 2 == 1))
        {
            yield return Case(name, body);
        }

        yield return Case("body just over 16 KiB", Padded("comments", (16 * 1024) + 1), 413);
        yield return Case("body of 1 MiB", Padded("comments", 1024 * 1024), 413);
        yield return Case("decision missing", Utf8("{}"));
        yield return Case("decision unknown", Utf8("{\"decision\":\"maybe\"}"));
        yield return Case("decision is a number", Utf8("{\"decision\":1}"));
        yield return Case("decision null", Utf8("{\"decision\":null}"));
        yield return Case("decision with markup", Utf8(new JsonObject { ["decision"] = Markup[1] }.ToJsonString()));
        yield return Case("comments are a number", Utf8("{\"decision\":\"approve\",\"comments\":5}"));
        yield return Case("comments of 4001 characters", Utf8($"{{\"decision\":\"approve\",\"comments\":\"{Repeat('c', 4001)}\"}}"));
        yield return Case("comments with a NUL character", Utf8("{\"decision\":\"approve\",\"comments\":\"ok\\u0000\"}"));
        yield return Case("approve with a deadline", Utf8($"{{\"decision\":\"approve\",\"deadline\":\"{Future(5)}\"}}"));
        yield return Case("reopen with a deadline in words", Utf8("{\"decision\":\"reopen\",\"deadline\":\"soon\"}"));
        yield return Case("reopen with a deadline in the past", Utf8("{\"decision\":\"reopen\",\"deadline\":\"2001-01-01T00:00:00Z\"}"));
        yield return Case("version is a string", Utf8("{\"decision\":\"approve\",\"version\":\"one\"}"));
        yield return Case("version is a fraction", Utf8("{\"decision\":\"approve\",\"version\":1.5}"));
        yield return Case("version beyond 32 bits", Utf8("{\"decision\":\"approve\",\"version\":99999999999}"));
        yield return Case("version that is not the latest draft", Utf8("{\"decision\":\"approve\",\"version\":99}"), 409);
        yield return Case("reopen when every item has consensus", Utf8("{\"decision\":\"reopen\"}"), 409);
        yield return new(route, "review while the round still collects", "POST", "/api/rounds/{collecting}/review", 409, Answer.Problem, Utf8("{\"decision\":\"approve\"}"), Json);
    }

    static IEnumerable<MalformedRequest> Cancel()
    {
        const string route = "POST /api/rounds/{id}/cancel";
        MalformedRequest Case(string name, byte[] body, int status = 400, string? contentType = Json) =>
            new(route, name, "POST", "/api/rounds/{collecting}/cancel", status, Answer.Problem, body, contentType);

        yield return Case("media type text/plain", Utf8("stop"), 415, "text/plain");
        yield return Case("unterminated object", Utf8("{"));
        yield return Case("null", Utf8("null"));
        yield return Case("array instead of object", Utf8("[]"));
        yield return Case("invalid UTF-8 bytes", Bytes(0x7B, 0x22, 0x72, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D));
        yield return Case("JSON nested 17 deep", Utf8($"{{\"reason\":{Deep(16)}}}"));
        yield return Case("body just over 16 KiB", Padded("reason", (16 * 1024) + 1), 413);
        yield return Case("reason is a number", Utf8("{\"reason\":12}"));
        yield return Case("reason is an array", Utf8("{\"reason\":[\"a\"]}"));
        yield return Case("reason of 4001 characters", Utf8($"{{\"reason\":\"{Repeat('r', 4001)}\"}}"));
        yield return Case("reason with an escape character", Utf8("{\"reason\":\"stop\\u001b\"}"));
        yield return new(route, "cancel a round that is final", "POST", "/api/rounds/{final}/cancel", 409, Answer.Problem);
    }

    static IEnumerable<MalformedRequest> LateContribution()
    {
        const string route = "POST /api/rounds/{id}/late-contributions/{participant}";
        var accept = Utf8("{\"decision\":\"accept\"}");
        MalformedRequest Case(string name, byte[] body, int status = 400, string? contentType = Json) =>
            new(route, name, "POST", "/api/rounds/{reviewing}/late-contributions/flanders", status, Answer.Problem, body, contentType);

        yield return Case("media type text/plain", accept, 415, "text/plain");
        yield return Case("form post", Utf8("decision=accept"), 415, Form);
        yield return Case("unterminated object", Utf8("{"));
        yield return Case("array instead of object", Utf8("[]"));
        yield return Case("body just over 16 KiB", Padded("decision", (16 * 1024) + 1), 413);
        yield return Case("decision missing", Utf8("{}"));
        yield return Case("decision of the review instead", Utf8("{\"decision\":\"approve\"}"));
        yield return Case("decision is a number", Utf8("{\"decision\":1}"));
        yield return Case("decision with markup", Utf8(new JsonObject { ["decision"] = Markup[1] }.ToJsonString()));
        yield return Case("accept when nothing came late", accept, 409);
        yield return new(route, "a participant other than flanders", "POST", "/api/rounds/{reviewing}/late-contributions/federal", 404,
            Answer.Problem, accept, Json);
        yield return new(route, "a round that is final", "POST", "/api/rounds/{final}/late-contributions/flanders", 409, Answer.Problem, accept, Json);
        yield return new(route, "a round that still collects", "POST", "/api/rounds/{collecting}/late-contributions/flanders", 409,
            Answer.Problem, accept, Json);
    }

    static IEnumerable<MalformedRequest> Settlement()
    {
        const string route = "POST /api/rounds/{id}/items/{itemId}/settlement";
        MalformedRequest Case(string name, byte[] body, int status = 400, string? contentType = Json) =>
            new(route, name, "POST", "/api/rounds/{reviewing}/items/5.I/settlement", status, Answer.Problem, body, contentType);

        yield return Case("media type text/plain", Utf8("{\"how\":\"Abstain\"}"), 415, "text/plain");
        yield return Case("form post", Utf8("how=Abstain"), 415, Form);
        foreach (var (name, body) in BrokenJson().Where((_, i) => i % 3 == 0))
        {
            yield return Case(name, body);
        }

        yield return Case("body just over 16 KiB", Padded("text", (16 * 1024) + 1), 413);
        yield return Case("how missing", Utf8("{}"));
        yield return Case("how unknown", Utf8("{\"how\":\"Agree\"}"));
        yield return Case("how is a number", Utf8("{\"how\":1}"));
        yield return Case("how with markup", Utf8(new JsonObject { ["how"] = Markup[2] }.ToJsonString()));
        yield return Case("compromise without a text", Utf8("{\"how\":\"Compromise\"}"));
        yield return Case("text of 8001 characters", Utf8($"{{\"how\":\"Compromise\",\"text\":\"{Repeat('t', 8001)}\"}}"));
        yield return Case("text with a NUL character", Utf8("{\"how\":\"Consensus\",\"text\":\"ok\\u0000\"}"));
        yield return Case("text is an array", Utf8("{\"how\":\"Consensus\",\"text\":[\"a\"]}"));
        yield return Case("lead entity missing", Utf8("{\"how\":\"LeadEntity\"}"));
        yield return Case("lead entity not a participant", Utf8("{\"how\":\"LeadEntity\",\"leadEntity\":\"federal\"}"));
        yield return Case("lead entity with markup", Utf8(new JsonObject { ["how"] = "LeadEntity", ["leadEntity"] = Markup[0] }.ToJsonString()));
        yield return Case("lead entity with another way", Utf8("{\"how\":\"Abstain\",\"leadEntity\":\"education\"}"));
        yield return Case("comments of 4001 characters", Utf8($"{{\"how\":\"Abstain\",\"comments\":\"{Repeat('c', 4001)}\"}}"));
        yield return Case("version is a string", Utf8("{\"how\":\"Abstain\",\"version\":\"one\"}"));
        yield return Case("version that is not the latest draft", Utf8("{\"how\":\"Abstain\",\"version\":99}"), 409);
        yield return new(route, "unknown item", "POST", "/api/rounds/{reviewing}/items/99/settlement", 404, Answer.Problem, Utf8("{\"how\":\"Abstain\"}"), Json);
        yield return new(route, "item id with markup", "POST", "/api/rounds/{reviewing}/items/%3Cscript%3E/settlement", 404, Answer.Problem,
            Utf8("{\"how\":\"Abstain\"}"), Json);
        yield return new(route, "unknown round", "POST", "/api/rounds/00000000000000000000000000000000/items/5.I/settlement", 404, Answer.Problem,
            Utf8("{\"how\":\"Abstain\"}"), Json);
        yield return new(route, "settle while the round still collects", "POST", "/api/rounds/{collecting}/items/5.I/settlement", 409,
            Answer.Problem, Utf8("{\"how\":\"Abstain\"}"), Json);
        yield return new(route, "settle a round that is final", "POST", "/api/rounds/{final}/items/5.I/settlement", 409,
            Answer.Problem, Utf8("{\"how\":\"Abstain\"}"), Json);
    }

    /// <summary>Tokens that are not a valid reply token: the same page (or problem) whatever is wrong with them.</summary>
    static IEnumerable<MalformedRequest> ReplyTokens()
    {
        string[] tokens =
        [
            "{tampered}",
            "{truncated}",
            "{extended}",
            Repeat('A', 43),
            "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "..%2F..%2Fapi%2Frounds",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "%C3%A9" + Repeat('a', 41),
            "a.b" + Repeat('c', 40),
        ];
        var answer = Utf8("{\"items\":[{\"itemId\":\"5.I\",\"stance\":\"Agree\"},{\"itemId\":\"12\",\"stance\":\"Agree\"}]}");
        foreach (var token in tokens)
        {
            var label = token.Length > 40 ? $"{token[..12]}… ({token.Length} characters)" : token;
            yield return new("GET /api/reply/{token}", $"token {label}", "GET", $"/api/reply/{token}", 404, Answer.Page);
            yield return new("POST /api/reply/{token}", $"token {label}, JSON", "POST", $"/api/reply/{token}", 404, Answer.Problem, answer, Json);
            yield return new("POST /api/reply/{token}", $"token {label}, form", "POST", $"/api/reply/{token}", 404, Answer.Page, Utf8("stance.5.I=Agree&stance.12=Agree"), Form);
        }

        yield return new("GET /api/reply/{token}", "token of 9000 characters", "GET", $"/api/reply/{Repeat('a', 9000)}", 414, Answer.Server);
    }

    static IEnumerable<MalformedRequest> ReplyJson()
    {
        const string route = "POST /api/reply/{token}";
        MalformedRequest Case(string name, string body, int status = 400) => Bytes(name, Utf8(body), status);
        MalformedRequest Bytes(string name, byte[] body, int status = 400, string? contentType = Json) =>
            new(route, $"JSON: {name}", "POST", "/api/reply/{token}", status, Answer.Problem, body, contentType);
        string Items(params string[] items) => $"{{\"items\":[{string.Join(',', items)}]}}";
        string ItemJson(string itemId = "\"5.I\"", string stance = "\"Agree\"", string remarks = "null") => $"{{\"itemId\":{itemId},\"stance\":{stance},\"remarks\":{remarks}}}";
        var other = ItemJson("\"12\"");

        yield return Bytes("media type text/plain", Utf8(Items(ItemJson(), other)), 415, "text/plain");
        yield return Bytes("media type application/xml", Utf8("<items/>"), 415, "application/xml");
        yield return Bytes("no media type", Utf8(Items(ItemJson(), other)), 415, null);
        foreach (var (name, body) in BrokenJson())
        {
            yield return Bytes(name, body);
        }

        yield return Bytes("body just over 1 MiB", Padded("items", (1024 * 1024) + 1), 413);
        yield return Bytes("body of 5 MiB", Padded("items", 5 * 1024 * 1024), 413);
        yield return Case("items missing", "{}");
        yield return Case("items null", "{\"items\":null}");
        yield return Case("items is an object", "{\"items\":{}}");
        yield return Case("items is a string", "{\"items\":\"Agree\"}");
        yield return Case("no items", "{\"items\":[]}");
        yield return Case("an item is a number", "{\"items\":[1]}");
        yield return Case("an item is an array", "{\"items\":[[\"5.I\",\"Agree\"]]}");
        yield return Case("an item is null", Items("null", other));
        yield return Case("itemId is a number", Items(ItemJson(itemId: "5"), other));
        yield return Case("stance is a number", Items(ItemJson(stance: "0"), other));
        yield return Case("stance as a number in a string", Items(ItemJson(stance: "\"0\""), other));
        yield return Case("remarks are an object", Items(ItemJson(remarks: "{}"), other));
        yield return Case("unknown item", Items(ItemJson(), other, ItemJson(itemId: "\"99\"")));
        yield return Case("item id with markup", Items(ItemJson(), other, ItemJson(itemId: System.Text.Json.JsonSerializer.Serialize(Markup[0]))));
        yield return Case("unknown stance", Items(ItemJson(stance: "\"Maybe\""), other));
        yield return Case("two stances at once", Items(ItemJson(stance: "\"Agree, Objection\""), other));
        yield return Case("stance with markup", Items(ItemJson(stance: System.Text.Json.JsonSerializer.Serialize(Markup[1])), other));
        yield return Case("same item twice", Items(ItemJson(), ItemJson(stance: "\"Objection\"", remarks: "\"no\""), other));
        yield return Case("first reply leaves an item out", Items(ItemJson()));
        yield return Case("objection without remarks", Items(ItemJson(stance: "\"Objection\""), other));
        yield return Case("agreement with remarks but none given", Items(ItemJson(stance: "\"AgreeWithRemarks\"", remarks: "\"  \""), other));
        yield return Case("remarks of 8001 characters", Items(ItemJson(stance: "\"Objection\"", remarks: $"\"{Repeat('r', 8001)}\""), other));
        yield return Case("remarks with a NUL character", Items(ItemJson(stance: "\"Objection\"", remarks: "\"no\\u0000\""), other));
        yield return Case("remarks with an escape character", Items(ItemJson(stance: "\"Objection\"", remarks: "\"\\u001b[2J\""), other));
    }

    /// <summary>The development sign-in's form (on for test hosts): the form again for what a person typed wrong, problems otherwise.</summary>
    static IEnumerable<MalformedRequest> ConsoleSignIn()
    {
        const string route = "POST /api/console/sign-in";
        MalformedRequest Case(string name, byte[] body, int status = 400, Answer answer = Answer.Page, string? contentType = Form) =>
            new(route, name, "POST", "/api/console/sign-in", status, answer, body, contentType);

        yield return Case("media type JSON", Utf8("{\"email\":\"an@vlaanderen.be\",\"name\":\"An\"}"), 415, Answer.Problem, Json);
        yield return Case("media type text/plain", Utf8("email=an@vlaanderen.be"), 415, Answer.Problem, "text/plain");
        yield return Case("invalid UTF-8 bytes", Bytes(0x65, 0x6D, 0x61, 0x69, 0x6C, 0x3D, 0xFF), 400, Answer.Problem);
        yield return Case("escapes that are no UTF-8", Utf8("email=%FF%FE&name=An"), 400, Answer.Problem);
        yield return Case("body just over 4 KiB", Utf8("name=" + Repeat('n', 4 * 1024)), 413, Answer.Problem);
        yield return Case("empty form", Utf8(""));
        yield return Case("no e-mail", Utf8("name=An+Devos"));
        yield return Case("e-mail not an address", Utf8("email=an.devos&name=An+Devos"));
        yield return Case("e-mail with markup", Utf8("email=%3Cscript%3Ealert(1)%3C%2Fscript%3E%40x.be&name=An"));
        yield return Case("name of 121 characters", Utf8($"email=an%40vlaanderen.be&name={Repeat('n', 121)}"));
        yield return Case("name with a control character", Utf8("email=an%40vlaanderen.be&name=An%07Devos"));
        yield return Case("name on two lines", Utf8("email=an%40vlaanderen.be&name=An%0ADevos"));
    }

    static IEnumerable<MalformedRequest> ReplyForm()
    {
        const string route = "POST /api/reply/{token}";
        MalformedRequest Case(string name, string body, int status = 400, Answer answer = Answer.Page) =>
            new(route, $"form: {name}", "POST", "/api/reply/{token}", status, answer, Utf8(body), Form);
        string E(string text) => Uri.EscapeDataString(text);

        yield return Case("empty form", "");
        yield return Case("only separators", "&&==&");
        yield return Case("percent signs that encode nothing", "%%%=%");
        yield return Case("unknown stance", "stance.5.I=Maybe&stance.12=Agree");
        yield return Case("first reply leaves an item out", "stance.5.I=Agree");
        yield return Case("unknown item", "stance.5.I=Agree&stance.12=Agree&stance.99=Agree");
        yield return Case("item id with markup", $"stance.5.I=Agree&stance.12=Agree&stance.{E(Markup[0])}=Agree");
        yield return Case("objection without remarks", "stance.5.I=Objection&stance.12=Agree");
        yield return Case("remarks with markup but an item left out", $"stance.5.I=Objection&remarks.5.I={E(Markup[1])}");
        yield return Case("remarks of 8001 characters", $"stance.5.I=Objection&remarks.5.I={Repeat('r', 8001)}&stance.12=Agree");
        yield return Case("remarks with a NUL character", "stance.5.I=Objection&remarks.5.I=no%00&stance.12=Agree");
        yield return Case("only remarks, no stance", "remarks.5.I=hello&remarks.12=world");
        yield return new(route, "form: invalid UTF-8 bytes", "POST", "/api/reply/{token}", 400, Answer.Problem, Bytes(0x73, 0x74, 0x61, 0x6E, 0x63, 0x65, 0x2E, 0x31, 0x32, 0x3D, 0xFF), Form);
        foreach (var (name, escapes) in new[] { ("a byte that is no character", "%FF%FE"), ("an overlong '/'", "%C0%AF"), ("a character cut in the middle", "%E2%82"), ("a lone surrogate", "%ED%A0%80") })
        {
            yield return new(route, $"form: percent-escaped invalid UTF-8, {name}", "POST", "/api/reply/{token}", 400, Answer.Problem,
                Utf8($"stance.5.I=Objection&remarks.5.I=too+costly{escapes}&stance.12=Agree"), Form);
        }
        yield return new(route, "form: body just over 1 MiB", "POST", "/api/reply/{token}", 413, Answer.Problem, Utf8($"stance.5.I=Objection&remarks.5.I={Repeat('r', 1024 * 1024)}"), Form);
        yield return new(route, "form: multipart instead of urlencoded", "POST", "/api/reply/{token}", 415, Answer.Problem, Utf8("--x\r\n\r\n--x--"), "multipart/form-data; boundary=x");
    }

    /// <summary>
    /// The console's round page and its forms: what cannot be read is a problem, like the JSON routes; what a person
    /// typed wrong (or a state that does not allow it) is the page again, saying why. None of these changes a round.
    /// </summary>
    static IEnumerable<MalformedRequest> ConsoleRoundPage()
    {
        const string page = "GET /api/console/rounds/{id}";
        yield return new(page, "unknown round", "GET", "/api/console/rounds/r-not-a-round-of-ours", 404, Answer.Page);
        yield return new(page, "not a round id", "GET", "/api/console/rounds/NOT%20AN%20ID", 404, Answer.Page);
        yield return new(page, "version not a number", "GET", "/api/console/rounds/{reviewing}?version=abc", 404, Answer.Page);
        yield return new(page, "version with markup", "GET", $"/api/console/rounds/{{reviewing}}?version={Uri.EscapeDataString(Markup[0])}", 404, Answer.Page);
        yield return new(page, "version beyond the latest", "GET", "/api/console/rounds/{reviewing}?version=99", 404, Answer.Page);
        yield return new(page, "version 0", "GET", "/api/console/rounds/{reviewing}?version=0", 404, Answer.Page);
        yield return new("GET /api/console/rounds/{id}/participants", "unknown round", "GET", "/api/console/rounds/r-not-a-round-of-ours/participants", 404, Answer.Problem);

        const string deadline = "POST /api/console/rounds/{id}/deadline";
        MalformedRequest Deadline(string name, byte[] body, int status = 400, Answer answer = Answer.Page, string? contentType = Form, string round = "{collecting}") =>
            new(deadline, name, "POST", $"/api/console/rounds/{round}/deadline", status, answer, body, contentType);
        yield return Deadline("JSON instead of a form", Utf8("{\"deadline\":\"2030-01-01\"}"), 415, Answer.Problem, Json);
        yield return Deadline("no media type", Utf8("deadline=x"), 415, Answer.Problem, contentType: null);
        yield return Deadline("invalid UTF-8 bytes", Bytes(0x64, 0x65, 0x61, 0x64, 0x6C, 0x69, 0x6E, 0x65, 0x3D, 0xFF), answer: Answer.Problem);
        yield return Deadline("percent-escaped invalid UTF-8", Utf8("deadline=%FF%FE"), answer: Answer.Problem);
        yield return Deadline("body just over 64 KiB", Utf8($"deadline={Repeat('x', 64 * 1024)}"), 413, Answer.Problem);
        yield return Deadline("empty form", []);
        yield return Deadline("not a date", Utf8("deadline=soon"));
        yield return Deadline("in the past", Utf8("deadline=2020-01-01+12%3A00"));
        yield return Deadline("markup", Utf8($"deadline={Uri.EscapeDataString(Markup[1])}"));
        yield return Deadline("a round that is final", Utf8("deadline=2030-01-01"), 409, round: "{final}");
        yield return Deadline("unknown round", Utf8("deadline=2030-01-01"), 404, round: "r-not-a-round-of-ours");

        yield return new("POST /api/console/rounds/{id}/reminders", "a round in review", "POST", "/api/console/rounds/{reviewing}/reminders", 409, Answer.Page, [], Form);
        yield return new("POST /api/console/rounds/{id}/reminders", "multipart", "POST", "/api/console/rounds/{collecting}/reminders", 415, Answer.Problem, Utf8("--x\r\n\r\n--x--"), "multipart/form-data; boundary=x");

        const string review = "POST /api/console/rounds/{id}/review";
        MalformedRequest Review(string name, string body, int status = 400, string round = "{reviewing}") =>
            new(review, name, "POST", $"/api/console/rounds/{round}/review", status, Answer.Page, Utf8(body), Form);
        yield return Review("no decision", "comments=fine");
        yield return Review("unknown decision", $"decision={Uri.EscapeDataString(Markup[0])}");
        yield return Review("comments of 4001 characters", $"decision=approve&comments={Repeat('c', 4001)}");
        yield return Review("comments with an escape character", "decision=approve&comments=ok%1B%5B2J");
        yield return Review("a deadline with an approval", "decision=approve&deadline=2030-01-01");
        yield return Review("a round collecting replies", "decision=approve", 409, "{collecting}");

        const string cancel = "POST /api/console/rounds/{id}/cancel";
        yield return new(cancel, "without the confirmation", "POST", "/api/console/rounds/{collecting}/cancel", 400, Answer.Page, Utf8("reason=stop"), Form);
        yield return new(cancel, "confirmation not yes", "POST", "/api/console/rounds/{collecting}/cancel", 400, Answer.Page, Utf8("confirm=on"), Form);
        yield return new(cancel, "reason of 4001 characters", "POST", "/api/console/rounds/{collecting}/cancel", 400, Answer.Page, Utf8($"confirm=yes&reason={Repeat('r', 4001)}"), Form);
        yield return new(cancel, "a round that is final", "POST", "/api/console/rounds/{final}/cancel", 409, Answer.Page, Utf8("confirm=yes"), Form);

        const string settle = "POST /api/console/rounds/{id}/items/{itemId}/settlement";
        MalformedRequest Settle(string name, string body, int status = 400, string path = "/api/console/rounds/{reviewing}/items/5.I/settlement") =>
            new(settle, name, "POST", path, status, Answer.Page, Utf8(body), Form);
        yield return Settle("no way of settling", "text=agreed");
        yield return Settle("unknown way", $"how={Uri.EscapeDataString(Markup[2])}");
        yield return Settle("compromise without its text", "how=Compromise");
        yield return Settle("lead entity without the entity", "how=LeadEntity");
        yield return Settle("lead entity not in the round", "how=LeadEntity&leadEntity=nobody");
        yield return Settle("text of 8001 characters", $"how=Compromise&text={Repeat('t', 8001)}");
        yield return Settle("unknown item", "how=Consensus", 404, "/api/console/rounds/{reviewing}/items/99/settlement");
        yield return Settle("a round collecting replies", "how=Consensus", 409, "/api/console/rounds/{collecting}/items/5.I/settlement");
    }

    static IEnumerable<MalformedRequest> RoutesAndMethods()
    {
        const string route = "unknown routes and methods";
        foreach (var (method, path, status) in new[]
        {
            ("PUT", "/api/rounds", 405),
            ("DELETE", "/api/rounds", 405),
            ("PATCH", "/api/rounds/{collecting}", 405),
            ("DELETE", "/api/rounds/{collecting}", 405),
            ("GET", "/api/rounds/{collecting}/review", 405),
            ("GET", "/api/rounds/{collecting}/cancel", 405),
            ("PUT", "/api/rounds/{collecting}/deadline", 405),
            ("PUT", "/api/reply/{token}", 405),
            ("DELETE", "/api/reply/{token}", 405),
            ("POST", "/api/health", 405),
            ("OPTIONS", "/api/rounds", 405),
            ("TRACE", "/api/rounds", 405),
            ("GET", "/api/rounds/{collecting}/nothing", 404),
            ("GET", "/api/reply", 404),
            ("GET", "/api/reply/", 404),
            ("GET", "/api", 404),
            ("GET", "/api/admin", 404),
            ("GET", "/", 404),
        })
        {
            yield return new(route, $"{method} {path}", method, path, status, Answer.Problem);
        }
    }

    /// <summary>What only a raw socket sends: the web server refuses it, or routing finds nothing, never a 5xx.</summary>
    static IEnumerable<MalformedRequest> RawRequests()
    {
        const string route = "raw HTTP";
        MalformedRequest Case(string name, int status, Answer answer, string head, byte[]? body = null) =>
            new(route, name, "RAW", "", status, answer, Raw: [.. Encoding.Latin1.GetBytes(head), .. body ?? []]);

        yield return Case("dot segments in the path", 404, Answer.Problem, "GET /api/../../../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        yield return Case("dot segments into a round id", 404, Answer.Problem, "GET /api/rounds/../../api/rounds/x/../.. HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        yield return Case("percent-encoded invalid UTF-8 in the path", 404, Answer.Problem, "GET /api/rounds/%FF%FE HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        yield return Case("NUL in the path", 400, Answer.Server, "GET /api/rounds/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        yield return new(route, "raw invalid UTF-8 in the path", "RAW", "", 400, Answer.Server,
            Raw: [.. "GET /api/rounds/"u8.ToArray(), 0xFF, 0xFE, .. " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray()]);
        yield return Case("a header with a bare carriage return", 400, Answer.Server, "GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\rb\r\nConnection: close\r\n\r\n");
        yield return Case("a header of 40 KB", 431, Answer.Server, $"GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Big: {Repeat('a', 40_000)}\r\nConnection: close\r\n\r\n");
        yield return Case("negative Content-Length", 400, Answer.Server, "POST /api/rounds HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n");
        yield return Case("two Content-Lengths", 400, Answer.Server, "POST /api/rounds HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}");
        yield return Case("malformed chunked body", 400, Answer.Problem, "POST /api/rounds HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        yield return Case("malformed chunked reply", 400, Answer.Problem, "POST /api/reply/{token} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"ite\r\nq\r\n\r\n");
        yield return Case("request line without a version", 400, Answer.Server, "GET /api/health\r\nHost: localhost\r\n\r\n");
        yield return Case("no Host header", 400, Answer.Server, "GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n");

        // A valid round under a malformed idempotency key: refused for the key alone, nothing started.
        var round = RoundRequests.Soia().ToJsonString();
        string StartWithKeys(params string[] keys) =>
            $"POST /api/rounds HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(round)}\r\n" +
            string.Concat(keys.Select(k => $"Idempotency-Key: {k}\r\n")) + "Connection: close\r\n\r\n";
        yield return Case("an idempotency key with a space in it", 400, Answer.Problem, StartWithKeys("two words"), Encoding.UTF8.GetBytes(round));
        yield return Case("an idempotency key of 201 characters", 400, Answer.Problem, StartWithKeys(Repeat('k', 201)), Encoding.UTF8.GetBytes(round));
        yield return Case("two idempotency keys", 400, Answer.Problem, StartWithKeys("first-key", "second-key"), Encoding.UTF8.GetBytes(round));
        yield return Case("an idempotency key in Latin-1 (the web server refuses it)", 400, Answer.Server, StartWithKeys("cl\u00e9"), Encoding.UTF8.GetBytes(round));
    }
}
