using Microsoft.Extensions.Options;
using MultilateralFlows.Replies;
using MultilateralFlows.Storage;

namespace MultilateralFlows.Tests.Replies;

public sealed class ReplyTokensTests
{
    const string OldKey = "a-signing-key-of-at-least-thirty-two-chars";
    const string NewKey = "the-rotated-signing-key-of-thirty-two-chars";

    static ReplyTokens Tokens(string key = OldKey, string? previous = null) =>
        new(new WorkflowStorage(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"), new Azure.Storage.Blobs.BlobServiceClient("UseDevelopmentStorage=true")),
            Options.Create(new LinkOptions { PublicBaseUrl = "https://flows.example", SigningKey = key, PreviousSigningKeys = previous }));

    [Fact]
    public void TokenHeld_AfterTheKeyWasRotated_TheLinkTheParticipantHoldsWhileTheOldKeyIsKeptAsPrevious()
    {
        var nonce = ReplyTokens.NewNonce();
        var held = Tokens(OldKey).TokenFor("r1", "education", nonce);
        var hash = ReplyTokens.Hash(held);
        var opened = Tokens(NewKey).TokenFor("r1", "environment", nonce);

        Assert.Equal(held, Tokens(NewKey, previous: $"some-other-key-of-thirty-two-characters; {OldKey}").TokenHeld("r1", "education", nonce, hash));
        Assert.Equal(opened, Tokens(NewKey, previous: OldKey).TokenHeld("r1", "environment", nonce, ReplyTokens.Hash(opened)));
        var lost = Assert.Throws<InvalidOperationException>(() => Tokens(NewKey).TokenHeld("r1", "education", nonce, hash));
        Assert.Contains("Links__PreviousSigningKeys", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenFor_SameRequest_SameTokenOf256Bits()
    {
        var nonce = ReplyTokens.NewNonce();

        var token = Tokens().TokenFor("r1", "education", nonce);

        Assert.Equal(token, Tokens().TokenFor("r1", "education", nonce));
        Assert.Equal(32, Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.True(ReplyTokens.IsWellFormed(token));
    }

    [Fact]
    public void TokenFor_OtherRoundParticipantNonceOrKey_GivesAnotherToken()
    {
        var nonce = ReplyTokens.NewNonce();
        var token = Tokens().TokenFor("r1", "education", nonce);

        Assert.NotEqual(token, Tokens().TokenFor("r2", "education", nonce));
        Assert.NotEqual(token, Tokens().TokenFor("r1", "environment", nonce));
        Assert.NotEqual(token, Tokens().TokenFor("r1", "education", ReplyTokens.NewNonce()));
        Assert.NotEqual(token, Tokens("another-signing-key-of-thirty-two-chars!").TokenFor("r1", "education", nonce));
    }

    [Fact]
    public void Matches_OnlyTheTokenWhoseHashIsStored()
    {
        var token = Tokens().TokenFor("r1", "education", ReplyTokens.NewNonce());
        var stored = ReplyTokens.Hash(token);

        Assert.True(ReplyTokens.Matches(token, stored));
        Assert.False(ReplyTokens.Matches(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), stored));
        Assert.NotEqual(token, stored);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("0123456789012345678901234567890123456789012")]
    [InlineData("../../../../etc/passwd/00000000000000000000")]
    [InlineData("01234567890123456789012345678901234567890123")]
    [InlineData("0123456789012345678901234567890123456789 12")]
    public void IsWellFormed_OnlyFortyThreeBase64UrlCharacters(string candidate)
    {
        var expected = candidate.Length == 43 && candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

        Assert.Equal(expected, ReplyTokens.IsWellFormed(candidate));
    }
}
