using MultilateralFlows.Pages.Console;
using MultilateralFlows.Participants;
using MultilateralFlows.Rounds;
using static MultilateralFlows.Tests.Builders.TestRounds;

namespace MultilateralFlows.Tests.Console;

/// <summary>The preview says what the round's own routing will do; it does not decide anything itself.</summary>
public sealed class RoundPreviewTests
{
    static readonly IReadOnlyDictionary<string, Participant> Directory = ParticipantDirectory.Shipped.ToDictionary(p => p.Code);

    [Fact]
    public void Of_SoiaRound_EveryAreaGetsMailNoLinkedRound()
    {
        var preview = RoundPreview.Of(Soia("education", "environment"), Directory);

        Assert.Equal(["education", "environment"], preview.Recipients.Select(r => r.Code));
        Assert.Equal(["soia.education@vlaanderen.example"], preview.Recipients[0].Emails);
        Assert.Null(preview.LinkedRoundCoordinator);
        Assert.Empty(preview.LinkedRoundAreas);
    }

    [Fact]
    public void Of_CoormultiWithTwoAreas_TheAreasAnswerForFlandersDirectly()
    {
        var preview = RoundPreview.Of(Coormulti(["federal", "flanders"], ["education", "environment"]), Directory);

        Assert.Equal(["federal", "education", "environment"], preview.Recipients.Select(r => r.Code));
        Assert.Equal([false, true, true], preview.Recipients.Select(r => r.ForFlanders));
        Assert.Null(preview.LinkedRoundCoordinator);
    }

    [Fact]
    public void Of_CoormultiWithThreeAreas_LinkedRoundCoordinatedByTheDirectorysFlemishCoordination()
    {
        var preview = RoundPreview.Of(Coormulti(["federal", "flanders"], ["education", "environment", "welfare-health"]), Directory);

        Assert.Equal(["federal"], preview.Recipients.Select(r => r.Code));
        Assert.Equal(["education", "environment", "welfare-health"], preview.LinkedRoundAreas.Select(r => r.Code));
        Assert.Equal("multilateraal@vlaanderen.example", preview.LinkedRoundCoordinator);
    }

    [Fact]
    public void Of_CoormultiNamingTheSoiaCoordinator_ThatAddressCoordinates()
    {
        var round = Coormulti(["federal", "flanders"], ["education", "environment", "welfare-health"]) with { SoiaCoordinatorEmail = "x@vlaanderen.example" };

        Assert.Equal("x@vlaanderen.example", RoundPreview.Of(round, Directory).LinkedRoundCoordinator);
    }

    [Fact]
    public void Of_OnlyFederalItems_FlandersIsNotAsked()
    {
        var round = Coormulti(["federal", "flanders"], ["education"]) with { Items = [new AgendaItem("1", "Treaty", "Sign.", Competence.Federal)] };

        var preview = RoundPreview.Of(round, Directory);

        Assert.True(preview.FlandersNotAsked);
        Assert.Equal(["federal"], preview.Recipients.Select(r => r.Code));
    }
}
