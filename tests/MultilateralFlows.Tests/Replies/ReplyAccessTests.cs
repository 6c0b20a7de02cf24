using System.Reflection;
using System.Security.Cryptography;
using Azure.Data.Tables;
using MultilateralFlows.LocalHost;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;
using MultilateralFlows.Tests.Builders;

namespace MultilateralFlows.Tests.Replies;

/// <summary>
/// What a reply token is and what it opens: 256 random bits behind an HMAC, kept only as a hash, good for one round and
/// one participant, compared in constant time.
/// </summary>
public sealed class ReplyAccessTests(WorkflowServicesFixture services) : IClassFixture<WorkflowServicesFixture>
{
    ReplyApi Api => services.Get<ReplyApi>();

    [Fact]
    public void NewNonce_Is256RandomBitsAndNeverRepeats()
    {
        var nonces = Enumerable.Range(0, 1000).Select(_ => ReplyTokens.NewNonce()).ToList();

        Assert.All(nonces, n => Assert.Equal(32, Convert.FromHexString(n).Length));
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
    }

    [Fact]
    public async Task Token_OfAnotherParticipantOrRound_OpensNothingEvenWhereTheIndexPointsThere()
    {
        var (roundA, tokensA) = await StoredRounds.OpenAsync(services);
        var (roundB, _) = await StoredRounds.OpenAsync(services);
        var token = tokensA["education"];
        var index = services.Storage.Tables.GetTableClient(WorkflowStorage.ReplyTokensTable);

        // The token index only narrows the search; the request row's own hash decides. Pointing the index elsewhere
        // (another participant of the round, the same participant of another round) opens nothing.
        foreach (var (round, participant) in new[] { (roundA.Id, "environment"), (roundB.Id, "education") })
        {
            await index.UpsertEntityAsync(
                new TableEntity(ReplyTokens.Hash(token), "token") { ["RoundId"] = round, ["Participant"] = participant }, TableUpdateMode.Replace);
            Assert.Equal(404, await ShowFormStatusAsync(token));
        }

        // Nothing refused was remembered: with the index right again, the token opens its own form.
        await index.UpsertEntityAsync(
            new TableEntity(ReplyTokens.Hash(token), "token") { ["RoundId"] = roundA.Id, ["Participant"] = "education" }, TableUpdateMode.Replace);
        Assert.Equal(200, await ShowFormStatusAsync(token));
    }

    [Fact]
    public async Task Tokens_AreStoredOnlyAsTheirHash()
    {
        var (round, tokens) = await StoredRounds.OpenAsync(services);

        var stored = new List<string>();
        foreach (var table in new[] { WorkflowStorage.RoundsTable, WorkflowStorage.ReplyTokensTable })
        {
            await foreach (var row in services.Storage.Tables.GetTableClient(table).QueryAsync<TableEntity>())
            {
                stored.AddRange(row.Select(p => p.Value).OfType<string>().Append(row.PartitionKey).Append(row.RowKey));
            }
        }

        Assert.All(tokens.Values, token =>
        {
            Assert.DoesNotContain(stored, value => value.Contains(token, StringComparison.Ordinal));
            Assert.Contains(ReplyTokens.Hash(token), stored);
        });
        Assert.NotEmpty(round.Participants);
    }

    [Fact]
    public void Matches_ComparesInConstantTime()
    {
        var called = CalledMethods(typeof(ReplyTokens).GetMethod(nameof(ReplyTokens.Matches))!);

        Assert.Contains($"{typeof(CryptographicOperations).FullName}.{nameof(CryptographicOperations.FixedTimeEquals)}", called);
        Assert.DoesNotContain(called, m => m.StartsWith("System.String.Equals", StringComparison.Ordinal) || m == "System.String.op_Equality" || m.Contains("SequenceEqual", StringComparison.Ordinal));
    }

    [Fact]
    public void CoordinatorKey_ComparedInConstantTime()
    {
        var hasKey = typeof(CoordinatorAccessFilter).GetMethod("HasKey", BindingFlags.NonPublic | BindingFlags.Static)!;

        var called = CalledMethods(hasKey);

        Assert.Contains($"{typeof(CryptographicOperations).FullName}.{nameof(CryptographicOperations.FixedTimeEquals)}", called);
        Assert.DoesNotContain(called, m => m.StartsWith("System.String.Equals", StringComparison.Ordinal) || m == "System.String.op_Equality" || m.Contains("SequenceEqual", StringComparison.Ordinal));
    }

    async Task<int> ShowFormStatusAsync(string token) => (await services.ExecuteAsync(await Api.ShowFormAsync(token, CancellationToken.None))).Status;

    /// <summary>
    /// The methods a method's IL calls. Timing cannot be asserted reliably in a test; what the comparison is made with
    /// can: a fixed-time comparison and no ordinary string or sequence equality that stops at the first difference.
    /// </summary>
    static HashSet<string> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var called = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 4 < il.Length; i++)
        {
            // call (0x28) and callvirt (0x6F) take a 4-byte method token; a byte that only looks like one resolves to
            // nothing or to an unrelated method, which can only add names.
            if (il[i] is not (0x28 or 0x6F))
            {
                continue;
            }

            try
            {
                var target = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1));
                called.Add($"{target?.DeclaringType?.FullName}.{target?.Name}");
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException)
            {
            }
        }

        return called;
    }
}
