using MultilateralFlows.Rounds;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Storage;

/// <summary>The console's filters in the round index: deadline, coordinator ("mine") and search, on real table storage.</summary>
public sealed class RoundIndexFilterTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    // Each test's rounds carry an organisation of their own: the table is shared with every other test.
    readonly string organisation = $"Org-{Guid.NewGuid():N}"[..16];

    async Task<RoundDefinition> StoreAsync(string title, int deadlineInDays, string coordinator = "coordinator@example.be", string? soia = null)
    {
        var round = TestRounds.Soia() with
        {
            Id = RoundIds.New(), Title = title, Organisation = organisation, Deadline = DateTimeOffset.UtcNow.AddDays(deadlineInDays),
            CreatedAt = DateTimeOffset.UtcNow, CoordinatorEmail = coordinator, SoiaCoordinatorEmail = soia,
        };
        await services.Get<RoundStore>().CreateAsync(round, "test", CancellationToken.None);
        return round;
    }

    async Task<IReadOnlyList<string>> TitlesAsync(RoundFilter filter) =>
        [.. (await services.Get<RoundIndexStore>().ListAsync(filter, CancellationToken.None)).Rounds.Select(r => r.Title).Order()];

    RoundFilter Filter(int top = 50) => new(null, null, organisation, top, null);

    [Fact]
    public async Task ListAsync_DeadlineBeforeAndFrom_OnlyRoundsInBetween()
    {
        await StoreAsync("soon", 2);
        await StoreAsync("middle", 10);
        await StoreAsync("late", 30);

        var between = await TitlesAsync(Filter() with { DeadlineFrom = DateTimeOffset.UtcNow.AddDays(5), DeadlineBefore = DateTimeOffset.UtcNow.AddDays(20) });
        var before = await TitlesAsync(Filter() with { DeadlineBefore = DateTimeOffset.UtcNow.AddDays(20) });

        Assert.Equal(["middle"], between);
        Assert.Equal(["middle", "soon"], before);
    }

    [Fact]
    public async Task ListAsync_CoordinatedBy_TheCoordinatorOrTheSoiaCoordinatorInAnyCase()
    {
        await StoreAsync("mine", 5, coordinator: "Ann.Peeters@Example.be");
        await StoreAsync("my linked round", 5, soia: "ann.peeters@example.be");
        await StoreAsync("someone else's", 5, coordinator: "bob@example.be");

        Assert.Equal(["mine", "my linked round"], await TitlesAsync(Filter() with { CoordinatedBy = "ANN.peeters@example.be" }));
    }

    [Fact]
    public async Task ListAsync_Search_TitleOrOrganisationAnyCaseAcrossPages()
    {
        await StoreAsync("Neurotechnology ethics", 5);
        await StoreAsync("Budget", 5);
        await StoreAsync("Budget again", 5);
        await StoreAsync("NEUROtech follow-up", 5);

        var (page, next) = await services.Get<RoundIndexStore>().ListAsync(Filter(top: 1) with { Search = "neurotech" }, CancellationToken.None);
        var byOrganisation = await TitlesAsync(Filter() with { Search = organisation[4..].ToUpperInvariant() });

        Assert.Equal("NEUROtech follow-up", Assert.Single(page).Title);
        Assert.NotNull(next);
        var (rest, _) = await services.Get<RoundIndexStore>().ListAsync(Filter(top: 5) with { Search = "neurotech", ContinuationToken = next }, CancellationToken.None);
        Assert.Equal(["Neurotechnology ethics"], rest.Select(r => r.Title));
        Assert.Equal(4, byOrganisation.Count);
    }
}
