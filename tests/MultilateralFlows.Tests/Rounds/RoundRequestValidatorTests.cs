using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Rounds;

public sealed class RoundRequestValidatorTests
{
    static readonly IReadOnlyDictionary<string, Participant> Directory = ParticipantDirectory.Shipped.ToDictionary(p => p.Code);

    static StartRoundRequest Valid() => new()
    {
        Procedure = "SOIA",
        Title = "UNESCO Executive Board",
        Organisation = "UNESCO",
        Kind = "BoardMeeting",
        Items = [new AgendaItemRequest { Id = "5.I", Title = "Budget", Text = "Zero real growth." }],
        Participants = ["education", "environment"],
        Deadline = "2026-12-04T17:00:00+01:00",
        CoordinatorEmail = "coordinator@vlaanderen.example",
    };

    static Dictionary<string, string[]> Errors(StartRoundRequest request) => RoundRequestValidator.Validate(request, Directory, "r1", Now).Errors;

    [Fact]
    public void Validate_CompleteSoiaRequest_GivesTheDefinition()
    {
        var (round, errors) = RoundRequestValidator.Validate(Valid(), Directory, "r1", Now);

        Assert.Empty(errors);
        Assert.NotNull(round);
        Assert.Equal(Procedure.SOIA, round.Procedure);
        Assert.Equal(["education", "environment"], round.Participants);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 16, 0, 0, TimeSpan.Zero), round.Deadline);
        Assert.False(round.SilenceProcedure);
    }

    [Fact]
    public void Validate_DateOnlyDeadline_MeansEndOfThatDayInBrussels()
    {
        var request = Valid();
        request.Deadline = "2026-12-04";

        var (round, _) = RoundRequestValidator.Validate(request, Directory, "r1", Now);

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 22, 59, 59, TimeSpan.Zero), round!.Deadline);
    }

    [Fact]
    public void Validate_EmptyRequest_ReportsEveryRequiredField()
    {
        var errors = Errors(new StartRoundRequest());

        Assert.Equal(["coordinatorEmail", "deadline", "items", "kind", "organisation", "participants", "procedure", "title"], errors.Keys.Order());
    }

    public static TheoryData<string, Action<StartRoundRequest>> BadRequests => new()
    {
        { "procedure", r => r.Procedure = "EUCO" },
        { "kind", r => r.Kind = "Summit" },
        { "title", r => r.Title = new string('x', RoundRequestValidator.MaxTitleLength + 1) },
        { "title", r => r.Title = "two\nlines" },
        { "participants", r => r.Participants = ["education", "nowhere"] },
        { "participants", r => r.Participants = ["education", "education"] },
        { "participants", r => r.Participants = ["federal"] },
        { "participants", r => r.Participants = [null] },
        { "deadline", r => r.Deadline = "2026-11-27T09:00:00Z" },
        { "deadline", r => r.Deadline = "2026-12-04T17:00:00" },
        { "deadline", r => r.Deadline = "next friday" },
        { "deadline", r => r.Deadline = $"Thu {DateTimeOffset.UtcNow.AddDays(10):yyyy-MM-dd} 17:00" },
        { "deadline", r => r.Deadline = $"{DateTimeOffset.UtcNow.AddDays(10):yyyy-MM-dd} 17:00:00+01:00" },
        { "deadline", r => r.Deadline = $"{DateTimeOffset.UtcNow.AddDays(10):yyyy-MM-dd}T17:00:00 +01:00" },
        { "deadline", r => r.Deadline = "2028-01-01T00:00:00Z" },
        { "coordinatorEmail", r => r.CoordinatorEmail = "not an address" },
        { "items", r => r.Items = [] },
        { "items", r => r.Items = Enumerable.Range(0, RoundRequestValidator.MaxItems + 1).Select(i => new AgendaItemRequest { Id = $"{i}", Title = "t", Text = "x" }).ToList<AgendaItemRequest?>() },
        { "items[0].id", r => r.Items![0]!.Id = "../etc/passwd" },
        { "items[1].id", r => r.Items!.Add(new AgendaItemRequest { Id = "5.I", Title = "Again", Text = "Same id." }) },
        { "items[0].text", r => r.Items![0]!.Text = "" },
        { "items[0].text", r => r.Items![0]!.Text = new string('x', RoundRequestValidator.MaxItemTextLength + 1) },
        { "items[0]", r => r.Items![0] = null },
        { "flemishPolicyAreas", r => r.FlemishPolicyAreas = ["education"] },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Validate_BadField_IsReportedUnderThatField(string field, Action<StartRoundRequest> spoil)
    {
        var request = Valid();
        spoil(request);

        var (round, errors) = RoundRequestValidator.Validate(request, Directory, "r1", Now);

        Assert.Null(round);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Validate_CoormultiWithFlandersButNoAreas_AsksForTheAreas()
    {
        var request = Valid();
        request.Procedure = "COORMULTI";
        request.Participants = ["federal", "flanders", "wallonia"];

        Assert.Contains("flemishPolicyAreas", Errors(request).Keys);
    }

    [Fact]
    public void Validate_CoormultiWithFlandersAndAreas_IsValid()
    {
        var request = Valid();
        request.Procedure = "COORMULTI";
        request.Participants = ["federal", "flanders", "wallonia"];
        request.FlemishPolicyAreas = ["education", "culture-youth-media", "environment"];

        Assert.Empty(Errors(request));
    }

    static StartRoundRequest CoormultiWithLinkedRound(string? soiaCoordinator)
    {
        var request = Valid();
        request.Procedure = "COORMULTI";
        request.Participants = ["federal", "flanders", "wallonia"];
        request.FlemishPolicyAreas = ["education", "culture-youth-media", "environment"];
        request.SoiaCoordinatorEmail = soiaCoordinator;
        return request;
    }

    [Fact]
    public void Validate_CoormultiWithALinkedRoundNamingItsCoordinator_KeepsTheAddress()
    {
        var (round, errors) = RoundRequestValidator.Validate(CoormultiWithLinkedRound(" soia@vlaanderen.example "), Directory, "r1", Now);

        Assert.Empty(errors);
        Assert.Equal("soia@vlaanderen.example", round!.SoiaCoordinatorEmail);
        Assert.Null(RoundRequestValidator.Validate(CoormultiWithLinkedRound(null), Directory, "r1", Now).Round!.SoiaCoordinatorEmail);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("")]
    [InlineData("soia@vlaanderen.example\r\nBcc: all@elsewhere.example")]
    public void Validate_SoiaCoordinatorNotAnAddress_IsReportedUnderItsField(string address)
    {
        Assert.Equal(["soiaCoordinatorEmail"], Errors(CoormultiWithLinkedRound(address.Replace("\\r\\n", "\r\n", StringComparison.Ordinal))).Keys);
    }

    [Fact]
    public void Validate_CoordinatorLanguage_KeptForTheRoundAndLeftOutMeansTheSetting()
    {
        var french = Valid();
        french.CoordinatorLanguage = "fr";

        Assert.Equal("fr", RoundRequestValidator.Validate(french, Directory, "r1", Now).Round!.CoordinatorLanguage);
        Assert.Null(RoundRequestValidator.Validate(Valid(), Directory, "r1", Now).Round!.CoordinatorLanguage);
    }

    [Theory]
    [InlineData("es")]
    [InlineData("")]
    [InlineData("FR")]
    [InlineData("fr-BE")]
    public void Validate_CoordinatorLanguageWithoutTexts_IsReportedUnderItsField(string language)
    {
        var request = Valid();
        request.CoordinatorLanguage = language;

        Assert.Equal(["coordinatorLanguage"], Errors(request).Keys);
    }

    [Fact]
    public void Validate_SoiaCoordinatorWhereNoLinkedRoundStarts_IsRefused()
    {
        var soia = Valid();
        soia.SoiaCoordinatorEmail = "soia@vlaanderen.example";
        var twoAreas = CoormultiWithLinkedRound("soia@vlaanderen.example");
        twoAreas.FlemishPolicyAreas = ["education", "environment"];
        var withoutFlanders = CoormultiWithLinkedRound("soia@vlaanderen.example");
        withoutFlanders.Participants = ["federal", "wallonia"];
        withoutFlanders.FlemishPolicyAreas = null;

        Assert.Equal(["soiaCoordinatorEmail"], Errors(soia).Keys);
        Assert.Equal(["soiaCoordinatorEmail"], Errors(twoAreas).Keys);
        Assert.Equal(["soiaCoordinatorEmail"], Errors(withoutFlanders).Keys);
    }
}
