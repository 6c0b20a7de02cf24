using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using MultilateralFlows.Rounds;
using MultilateralFlows.Rounds.Activities;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Rounds;

/// <summary>The permanent representation as the round stores it, and what a linked SOIA round takes of it (nothing).</summary>
public sealed class PermanentRepresentationStorageTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    static readonly RepresentationAddress[] Representation =
        [new("permrep.unesco@diplobel.fed.be", "fr", "Délégation permanente"), new("coreper@diplobel.fed.be", "nl")];

    RoundStore Store => services.Get<RoundStore>();

    [Fact]
    public async Task CreateThenGet_WithAndWithoutAddresses_ReadBackAsStored()
    {
        var named = TestRounds.Soia() with { Id = RoundIds.New(), PermanentRepresentation = Representation };
        var none = TestRounds.Soia() with { Id = RoundIds.New() };
        await Store.CreateAsync(named, "test", CancellationToken.None);
        await Store.CreateAsync(none, "test", CancellationToken.None);

        Assert.Equal(Representation, (await Store.GetAsync(named.Id, CancellationToken.None))!.Definition.PermanentRepresentation!);
        Assert.Empty((await Store.GetAsync(none.Id, CancellationToken.None))!.Definition.PermanentRepresentation!);
        Assert.Null((await Store.GetRowAsync(none.Id, CancellationToken.None))!.PermanentRepresentation);
    }

    [Fact]
    public async Task StartLinkedRound_TheParentNamesTheRepresentation_TheLinkedSoiaRoundDoesNot()
    {
        var parent = TestRounds.Soia() with
        {
            Id = RoundIds.New(),
            Procedure = Procedure.COORMULTI,
            Participants = ["federal", "flanders"],
            FlemishPolicyAreas = ["education", "environment", "culture-youth-media"],
            PermanentRepresentation = Representation,
            Deadline = DateTimeOffset.UtcNow.AddDays(7),
        };
        await Store.CreateAsync(parent, "test", CancellationToken.None);
        await services.Get<OpenRound>().RunAsync(new RoundInput(parent.Id));
        var client = new Mock<DurableTaskClient>("test");

        var childId = await services.Get<StartLinkedRound>().RunAsync(new LinkedRoundRequest(parent.Id, 1), client.Object);

        var child = (await Store.GetAsync(childId, CancellationToken.None))!.Definition;
        Assert.Equal(parent.Id, child.ParentRoundId);
        Assert.Empty(child.PermanentRepresentation!);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
