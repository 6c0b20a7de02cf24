using MultilateralFlows.Http;

namespace MultilateralFlows.Tests.Http;

/// <summary>A form body's percent-escapes must decode to UTF-8, or the reply would store U+FFFD for what was sent.</summary>
public sealed class RequestBodyTests
{
    [Theory]
    [InlineData("")]
    [InlineData("%%%=%")]
    [InlineData("remarks.1=100%25+sure")]
    [InlineData("remarks.1=caf%C3%A9")]
    [InlineData("remarks.1=café")]
    [InlineData("remarks.1=%F0%9F%98%80")]
    [InlineData("remarks.1=😀+and+%E2%82%AC")]
    [InlineData("remarks.1=%2")]
    public void IsWellEncodedForm_ValidEscapesAndText_True(string body) => Assert.True(RequestBody.IsWellEncodedForm(body));

    [Theory]
    [InlineData("remarks.1=%FF")]
    [InlineData("remarks.1=%C0%AF")]
    [InlineData("remarks.1=%E2%82")]
    [InlineData("remarks.1=%ED%A0%80")]
    [InlineData("remarks.1=%C3&remarks.2=%A9")]
    [InlineData("stance.%FE=Agree")]
    public void IsWellEncodedForm_EscapesThatAreNoUtf8_False(string body) => Assert.False(RequestBody.IsWellEncodedForm(body));
}
