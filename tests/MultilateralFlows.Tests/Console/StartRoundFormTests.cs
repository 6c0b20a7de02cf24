using Microsoft.Extensions.Primitives;
using MultilateralFlows.Pages.Console;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Console;

/// <summary>The start form as posted, turned into the API's request, and the validator's errors put back on its fields.</summary>
public sealed class StartRoundFormTests
{
    static readonly IReadOnlyDictionary<string, Participant> Directory = ParticipantDirectory.Shipped.ToDictionary(p => p.Code);

    static Dictionary<string, StringValues> Fields(params (string Name, string Value)[] fields) =>
        fields.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => new StringValues([.. g.Select(f => f.Value)]));

    static StartRoundForm Coormulti() => StartRoundForm.Read(Fields(
        ("title", " UNESCO Board "), ("organisation", "UNESCO"), ("kind", "BoardMeeting"), ("procedure", "COORMULTI"),
        ("deadline", "2026-12-15T17:00"), ("silenceProcedure", "true"), ("coordinatorEmail", "coormulti@example.be"),
        ("entities", "federal"), ("entities", "flanders"), ("areas", "education"), ("areas", "environment"),
        ("item0.number", ""), ("item0.title", "Budget"), ("item0.text", "Zero growth."), ("item0.competence", "Mixed"), ("item0.lead", "federal"),
        ("item1.number", ""), ("item1.title", ""), ("item1.text", ""), ("item1.competence", "Mixed"), ("item1.lead", ""),
        ("item2.number", "12"), ("item2.title", "Neurotech"), ("item2.text", "Support."), ("item2.competence", "Federated"), ("item2.lead", ""),
        ("idempotencyKey", "console-abc"), ("action", "start")));

    [Fact]
    public void ToRequest_CoormultiForm_EntitiesParticipateAreasAreFlandersAreasEmptyRowsLeftOut()
    {
        var request = Coormulti().ToRequest();

        Assert.Equal("COORMULTI", request.Procedure);
        Assert.Equal("UNESCO Board", request.Title);
        Assert.Equal(["federal", "flanders"], request.Participants);
        Assert.Equal(["education", "environment"], request.FlemishPolicyAreas);
        Assert.Equal(["1", "12"], request.Items!.Select(i => i!.Id));
        Assert.Equal(["federal", null], request.Items!.Select(i => i!.LeadEntity));
        Assert.Equal("Federated", request.Items![1]!.Competence);
        Assert.True(request.SilenceProcedure);
        Assert.Null(request.SoiaCoordinatorEmail);
        Assert.Equal("2026-12-15T17:00:00+01:00", request.Deadline);
    }

    [Fact]
    public void ToRequest_ValidForm_TheValidatorTakesIt()
    {
        var (round, errors) = RoundRequestValidator.Validate(Coormulti().ToRequest(), Directory, "r1", Now);

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 16, 0, 0, TimeSpan.Zero), round!.Deadline);
    }

    [Theory]
    [InlineData("2026-12-15T17:00", "2026-12-15T17:00:00+01:00")]
    [InlineData("2026-07-01T09:30", "2026-07-01T09:30:00+02:00")]
    [InlineData("2026-07-01T09:30:15", "2026-07-01T09:30:15+02:00")]
    [InlineData("tomorrow", "tomorrow")]
    [InlineData("", null)]
    public void DeadlineWithOffset_BrusselsLocalTime_TheOffsetOfThatDay(string typed, string? expected) =>
        Assert.Equal(expected, StartRoundForm.DeadlineWithOffset(typed));

    [Fact]
    public void ToRequest_SoiaForm_TheTickedAreasAndAnyEntityAreTheParticipants()
    {
        var form = Coormulti() with { Procedure = "SOIA" };

        var request = form.ToRequest();
        var errors = RoundRequestValidator.Validate(request, Directory, "r1", Now).Errors;

        Assert.Equal(["education", "environment", "federal", "flanders"], request.Participants);
        Assert.Empty(request.FlemishPolicyAreas!);
        Assert.Contains("areas", form.FieldErrors(errors).Keys);
    }

    [Fact]
    public void FieldErrors_ItemErrors_GoToTheRowTheItemCameFrom()
    {
        var form = Coormulti();
        var errors = new Dictionary<string, string[]>
        {
            ["items[1].text"] = ["Required."],
            ["items[1].id"] = ["Duplicate."],
            ["items[0].leadEntity"] = ["Not competent."],
            ["flemishPolicyAreas"] = ["Not an area."],
            ["participants"] = ["Unknown."],
            ["deadline"] = ["Past."],
        };

        var mapped = form.FieldErrors(errors);

        Assert.Equal(["Required."], mapped["item2-text"]);
        Assert.Equal(["Duplicate."], mapped["item2-number"]);
        Assert.Equal(["Not competent."], mapped["item0-lead"]);
        Assert.Equal(["Not an area."], mapped["areas"]);
        Assert.Equal(["Unknown."], mapped["entities"]);
        Assert.Equal(["Past."], mapped["deadline"]);
    }

    [Fact]
    public void Read_EmptyForm_ValidatorErrorsForTheRequiredFieldsOnTheirControls()
    {
        var form = StartRoundForm.Read(Fields(("action", "start")));

        var errors = form.FieldErrors(RoundRequestValidator.Validate(form.ToRequest(), Directory, "r1", Now).Errors);

        Assert.Superset(new HashSet<string> { "title", "organisation", "kind", "procedure", "deadline", "coordinatorEmail", "items" }, errors.Keys.ToHashSet());
        Assert.StartsWith("console-", form.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_SameFormTwice_SameAndAChangedFormAnother()
    {
        Assert.Equal(Coormulti().Fingerprint(), Coormulti().Fingerprint());
        Assert.NotEqual(Coormulti().Fingerprint(), (Coormulti() with { Title = "Other" }).Fingerprint());
        Assert.Equal(Coormulti().Fingerprint(), (Coormulti() with { Action = StartRoundForm.PreviewAction }).Fingerprint());
    }

    [Fact]
    public void Read_RowsOutOfOrderOrTooMany_InOrderAndBounded()
    {
        var fields = Enumerable.Range(0, 80).Reverse().Select(n => ($"item{n}.title", $"t{n}")).Append(("idempotencyKey", "has space")).ToArray();

        var form = StartRoundForm.Read(Fields(fields));

        Assert.Equal(RoundRequestValidator.MaxItems + 1, form.Items.Count);
        Assert.Equal("t0", form.Items[0].Title);
        Assert.NotEqual("has space", form.IdempotencyKey);
    }
}
