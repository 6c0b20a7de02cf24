using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using MultilateralFlows.Consolidation;
using MultilateralFlows.Email;
using MultilateralFlows.Housekeeping;
using MultilateralFlows.Http;
using MultilateralFlows.Http.OpenApi;
using MultilateralFlows.Replies;
using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Tests.Http;

/// <summary>
/// The OpenAPI document is valid OpenAPI 3.1 as a maintained reader sees it, describes exactly the routes both hosts
/// serve, and names exactly what the request and response types read and write: a new route, field or enum value that
/// is not described fails here.
/// </summary>
public sealed class OpenApiDocumentTests
{
    static readonly string Json = Encoding.UTF8.GetString(OpenApiDocumentApi.Bytes.Span);

    static readonly JsonObject Schemas = JsonNode.Parse(Json)!["components"]!["schemas"]!.AsObject();

    /// <summary>Each object schema and the C# type whose JSON it describes (through <see cref="WorkflowJson"/>).</summary>
    static readonly Dictionary<string, Type> ObjectSchemas = new()
    {
        ["StartRoundRequest"] = typeof(StartRoundRequest),
        ["AgendaItemRequest"] = typeof(AgendaItemRequest),
        ["RepresentationAddress"] = typeof(RepresentationAddressRequest),
        ["DeadlineRequest"] = typeof(DeadlineRequest),
        ["ReviewRequest"] = typeof(ReviewRequest),
        ["CancelRequest"] = typeof(CancelRoundRequest),
        ["LateContributionDecisionRequest"] = typeof(LateContributionDecisionRequest),
        ["SettlementRequest"] = typeof(SettlementRequest),
        ["ReplyRequest"] = typeof(ReplyRequest),
        ["ReplyItemRequest"] = typeof(ReplyItemRequest),
        ["RoundAccepted"] = typeof(RoundAccepted),
        ["RoundList"] = typeof(RoundList),
        ["RoundSummary"] = typeof(RoundSummary),
        ["RoundStatus"] = typeof(RoundStatus),
        ["LinkedRoundStatus"] = typeof(LinkedRoundStatus),
        ["ParticipantStatus"] = typeof(ParticipantStatus),
        ["ItemStatus"] = typeof(ItemStatus),
        ["LateContributionStatus"] = typeof(LateContributionStatus),
        ["AuditTrail"] = typeof(AuditTrail),
        ["AuditEntry"] = typeof(AuditEntry),
        ["ActionAccepted"] = typeof(ActionAccepted),
        ["SettlementAccepted"] = typeof(SettlementAccepted),
        ["ItemSettlement"] = typeof(ItemSettlement),
        ["Position"] = typeof(PositionDocument),
        ["PositionItem"] = typeof(PositionItem),
        ["ParticipantStance"] = typeof(ParticipantStance),
        ["ReplyReceipt"] = typeof(ReplyReceipt),
        ["ItemReply"] = typeof(ItemReply),
        ["EventsReceipt"] = typeof(EventsReceipt),
        ["HealthStatus"] = typeof(HealthApi.HealthStatus),
    };

    /// <summary>What the document adds to a type's own properties: the position route adds the versions it can serve.</summary>
    static readonly Dictionary<string, string[]> AddedWhenServed = new() { ["Position"] = ["latestVersion", "versions"] };

    /// <summary>Schemas with no C# type of ours behind them: problem details, a form, SendGrid's events, string formats.</summary>
    static readonly string[] NotOurTypes = ["Problem", "ValidationProblem", "FieldErrors", "ReplyForm", "SendGridEvent", "Email"];

    static readonly Dictionary<string, Type> EnumSchemas = new()
    {
        ["Procedure"] = typeof(Procedure),
        ["MeetingKind"] = typeof(MeetingKind),
        ["RoundPhase"] = typeof(RoundPhase),
        ["Competence"] = typeof(Competence),
        ["ParticipantState"] = typeof(ParticipantState),
        ["DeliveryState"] = typeof(DeliveryState),
        ["ItemOutcome"] = typeof(ItemOutcome),
        ["Stance"] = typeof(Stance),
        ["PositionStance"] = typeof(PositionStance),
        ["SettlementKind"] = typeof(SettlementKind),
        ["PositionStatus"] = typeof(PositionStatus),
        ["LateDecision"] = typeof(LateDecision),
        ["StuckWorkflow"] = typeof(StuckWorkflow),
    };

    [Fact]
    public void Document_ReadByMicrosoftOpenApi_IsOpenApi31WithoutErrorsOrWarnings()
    {
        var (document, diagnostic) = OpenApiDocument.Parse(Json, "json");

        Assert.NotNull(document);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic!.SpecificationVersion);
        Assert.Empty(diagnostic.Errors.Select(e => e.ToString()));
        Assert.Empty(diagnostic.Warnings.Select(e => e.ToString()));
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(e => e.ToString()));
    }

    /// <summary>Microsoft.OpenApi reads a <c>$ref</c> to nothing without a word: checked here.</summary>
    [Fact]
    public void References_EveryRef_PointsToSomethingInTheDocument()
    {
        var root = JsonNode.Parse(Json)!;
        var references = new List<string>();
        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "$ref")
                        {
                            references.Add(value!.GetValue<string>());
                        }
                        else
                        {
                            Collect(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Collect(item);
                    }

                    break;
            }
        }

        Collect(root);

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            Assert.StartsWith("#/components/", reference, StringComparison.Ordinal);
            var target = reference[2..].Split('/').Aggregate((JsonNode?)root, (node, segment) => node?[segment.Replace("~1", "/").Replace("~0", "~")]);
            Assert.True(target is JsonObject, $"{reference} points to nothing");
        });
    }

    [Fact]
    public void Operations_EveryRouteBothHostsServe_ExactlyOnceUnderItsName()
    {
        var document = OpenApiDocument.Parse(Json, "json").Document!;

        var described = document.Paths
            .SelectMany(path => path.Value.Operations!.Select(op => $"{op.Value.OperationId} {op.Key.Method} {path.Key.TrimStart('/')}"))
            .Order(StringComparer.Ordinal);
        var routes = ApiRoutes.All.Select(r => $"{r.Name} {r.Method} {r.Template}").Order(StringComparer.Ordinal);

        Assert.Equal(routes, described);
        Assert.Equal("/api", document.Servers!.Single().Url);
    }

    [Fact]
    public void Operations_CoordinatorRoutes_TakeAFunctionKeyOrEntraIdAndTheOthersNone()
    {
        var document = OpenApiDocument.Parse(Json, "json").Document!;
        // The development sign-in's own routes are open (they refuse other machines and are off in Azure); the console's
        // pages and forms take a signed-in person instead of a key.
        var anonymous = new[] { "ShowReplyForm", "SubmitReply", "Health", "OpenApiDocument", "ConsoleShowSignIn", "ConsoleSignIn", "ConsoleSignOut", "ConsoleHome", "ConsoleScript", "ConsoleRoundPageScript" };

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations!)
            {
                var schemes = operation.Security!.SelectMany(r => r.Keys).Select(s => s.Reference.Id).Order(StringComparer.Ordinal).ToList();
                var expected = operation.OperationId switch
                {
                    _ when anonymous.Contains(operation.OperationId) => [],
                    "ReceiveEmailEvents" => ["sendGridSignature"],
                    _ when operation.OperationId!.StartsWith("Console", StringComparison.Ordinal) => ["developmentSession", "easyAuthSession"],
                    _ => new List<string> { "easyAuthSession", "entraId", "functionKey", "functionKeyQuery" },
                };
                Assert.True(expected.SequenceEqual(schemes), $"{method} {path}: {string.Join(", ", schemes)}");
            }
        }
    }

    [Fact]
    public void Schemas_EveryObjectSchema_NamesExactlyThePropertiesItsTypeReadsOrWrites()
    {
        var objects = Schemas.Where(s => s.Value!["type"]?.GetValue<string>() == "object").Select(s => s.Key).ToList();
        Assert.Equal(objects.Order(StringComparer.Ordinal), ObjectSchemas.Keys.Concat(NotOurTypes).Where(objects.Contains).Order(StringComparer.Ordinal));
        Assert.Empty(ObjectSchemas.Keys.Except(objects));

        foreach (var (name, type) in ObjectSchemas)
        {
            // A property the serializer ignores is listed without accessors.
            var written = WorkflowJson.Options.GetTypeInfo(type).Properties.Where(p => p.Get is not null || p.Set is not null).Select(p => p.Name)
                .Concat(AddedWhenServed.GetValueOrDefault(name) ?? [])
                .Order(StringComparer.Ordinal);
            var described = Schemas[name]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
            Assert.True(written.SequenceEqual(described), $"{name}: {type.Name} has {string.Join(", ", written)}; the schema {string.Join(", ", described)}");
        }
    }

    [Fact]
    public void Schemas_EveryEnum_ListsExactlyTheNamesOfItsType()
    {
        foreach (var (name, type) in EnumSchemas)
        {
            var described = Schemas[name]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
            Assert.Equal(Enum.GetNames(type), described);
        }

        Assert.Equal(RoundRequestValidator.Languages, Schemas["Language"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Schemas_Responses_AreClosedSoThatAnUndescribedFieldFailsTheEndToEndCheck()
    {
        var responses = ObjectSchemas.Keys.Where(name => !ObjectSchemas[name].Name.EndsWith("Request", StringComparison.Ordinal));

        Assert.All(responses, name => Assert.False(Schemas[name]!["additionalProperties"]?.GetValue<bool>(), $"{name} is open"));
    }

    [Fact]
    public void Document_Served_IsTheFileInTheRepository()
    {
        var file = File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "functions", "MultilateralFlows.Workflow", "Http", "OpenApi", "openapi.json"));

        Assert.Equal(file, OpenApiDocumentApi.Bytes.ToArray());
    }

    [Fact]
    public async Task Get_AnyCaller_JsonThatCachesMayKeepForFiveMinutes()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await OpenApiDocumentApi.Get(context.Response).ExecuteAsync(context);
        SecurityHeaders.Apply(context.Response);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal("public, max-age=300", context.Response.Headers.CacheControl.ToString());
        Assert.Empty(context.Response.Headers.Pragma.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal(OpenApiDocumentApi.Bytes.ToArray(), ((MemoryStream)context.Response.Body).ToArray());
    }

    [Fact]
    public void SecurityHeaders_AnyOtherAnswer_StillNoStore()
    {
        var context = new DefaultHttpContext();

        SecurityHeaders.Apply(context.Response);

        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("no-cache", context.Response.Headers.Pragma.ToString());
    }
}
