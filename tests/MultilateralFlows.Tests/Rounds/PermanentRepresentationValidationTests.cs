using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>The addresses a round names for the permanent representation: optional, checked one by one, each problem under its own field.</summary>
public sealed class PermanentRepresentationValidationTests
{
    static readonly IReadOnlyDictionary<string, Participant> Directory = ParticipantDirectory.Shipped.ToDictionary(p => p.Code);

    static StartRoundRequest With(params RepresentationAddressRequest?[]? addresses) => new()
    {
        Procedure = "COORMULTI",
        Title = "Council of the EU — Foreign Affairs Council",
        Organisation = "EU",
        Kind = "BoardMeeting",
        Items = [new AgendaItemRequest { Id = "1", Title = "Sanctions", Text = "Extend." }],
        Participants = ["federal", "wallonia"],
        Deadline = "2026-12-04T17:00:00+01:00",
        CoordinatorEmail = "coormulti@diplobel.fed.be",
        PermanentRepresentation = addresses?.ToList(),
    };

    static RepresentationAddressRequest Address(string? email, string? language, string? name = null) =>
        new() { Email = email, Language = language, Name = name };

    [Fact]
    public void Validate_NoAddresses_TheRoundNamesNone()
    {
        var (absent, _) = RoundRequestValidator.Validate(With(null), Directory, "r1", Now);
        var (empty, _) = RoundRequestValidator.Validate(With(), Directory, "r1", Now);

        Assert.Empty(absent!.PermanentRepresentation!);
        Assert.Empty(empty!.PermanentRepresentation!);
    }

    [Fact]
    public void Validate_Addresses_KeptInOrderTrimmedWithLanguageInLowerCase()
    {
        var (round, errors) = RoundRequestValidator.Validate(
            With(Address(" permrep.eu@diplobel.fed.be ", "FR", "Représentation permanente auprès de l'UE"), Address("coreper@diplobel.fed.be", "nl")),
            Directory, "r1", Now);

        Assert.Empty(errors);
        Assert.Equal(
            [
                new RepresentationAddress("permrep.eu@diplobel.fed.be", "fr", "Représentation permanente auprès de l'UE"),
                new RepresentationAddress("coreper@diplobel.fed.be", "nl"),
            ],
            round!.PermanentRepresentation!);
    }

    [Fact]
    public void Validate_BadAddresses_EachProblemUnderItsField()
    {
        var errors = RoundRequestValidator.Validate(
            With(
                Address("not an address", "fr"),
                Address("ok@diplobel.fed.be", "es"),
                null,
                Address("OK@diplobel.fed.be", "en"),
                Address("named@diplobel.fed.be", "de", "Line\nbreak"),
                Address(null, null)),
            Directory, "r1", Now).Errors;

        Assert.Contains("permanentRepresentation[0].email", errors.Keys);
        Assert.Contains("permanentRepresentation[1].language", errors.Keys);
        Assert.Contains("permanentRepresentation[2]", errors.Keys);
        Assert.Contains("listed twice", Assert.Single(errors["permanentRepresentation[3].email"]), StringComparison.Ordinal);
        Assert.Contains("permanentRepresentation[4].name", errors.Keys);
        Assert.Contains("permanentRepresentation[5].email", errors.Keys);
        Assert.Contains("permanentRepresentation[5].language", errors.Keys);
        Assert.DoesNotContain("permanentRepresentation[1].email", errors.Keys);
    }

    [Fact]
    public void Validate_MoreAddressesThanTheMaximum_Refused()
    {
        var many = Enumerable.Range(0, RoundRequestValidator.MaxRepresentationAddresses + 1)
            .Select(i => Address($"desk{i}@diplobel.fed.be", "en")).ToArray();

        var errors = RoundRequestValidator.Validate(With(many), Directory, "r1", Now).Errors;

        Assert.Equal([$"At most {RoundRequestValidator.MaxRepresentationAddresses} addresses."], errors["permanentRepresentation"]);
    }
}
