using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MultilateralFlows.LocalHost;

namespace MultilateralFlows.Tests.LocalHost;

/// <summary>
/// The local host's stand-in for function keys: callers on this machine are served, callers elsewhere only with the
/// configured key, and nothing a caller writes in a header makes it "local".
/// </summary>
public sealed class CoordinatorAccessFilterTests
{
    const string Key = "a-coordinator-key-for-tests";
    static readonly IPAddress Elsewhere = IPAddress.Parse("203.0.113.7");

    static async Task<int> CallAsync(IPAddress? from, string? configuredKey = Key, Action<HttpRequest>? prepare = null)
    {
        var filter = new CoordinatorAccessFilter(Options.Create(new LocalHostOptions { CoordinatorKey = configuredKey }));
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Connection.RemoteIpAddress = from;
        context.Response.Body = new MemoryStream();
        prepare?.Invoke(context.Request);

        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ => ValueTask.FromResult<object?>(Results.Ok()));
        await ((IResult)result!).ExecuteAsync(context);
        return context.Response.StatusCode;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.20.30")]
    [InlineData("::1")]
    public async Task Call_FromThisMachine_IsServedWithoutAKey(string address) =>
        Assert.Equal(200, await CallAsync(IPAddress.Parse(address), configuredKey: null));

    [Fact]
    public async Task Call_FromElsewhereWithoutAKey_401() =>
        Assert.Equal(401, await CallAsync(Elsewhere));

    [Fact]
    public async Task Call_FromElsewhereWithTheKeyInTheHeader_IsServed() =>
        Assert.Equal(200, await CallAsync(Elsewhere, prepare: r => r.Headers["x-functions-key"] = Key));

    [Fact]
    public async Task Call_FromElsewhereWithTheKeyInTheQuery_IsServed() =>
        Assert.Equal(200, await CallAsync(Elsewhere, prepare: r => r.QueryString = new QueryString($"?code={Key}")));

    [Theory]
    [InlineData("a-coordinator-key-for-test")]
    [InlineData("a-coordinator-key-for-tests-and-more")]
    [InlineData("A-COORDINATOR-KEY-FOR-TESTS")]
    [InlineData("")]
    public async Task Call_FromElsewhereWithAnotherKey_401(string presented) =>
        Assert.Equal(401, await CallAsync(Elsewhere, prepare: r => r.Headers["x-functions-key"] = presented));

    [Fact]
    public async Task Call_FromElsewhereWhenNoKeyIsConfigured_401EvenWithAnEmptyKey() =>
        Assert.Equal(401, await CallAsync(Elsewhere, configuredKey: "", prepare: r => r.Headers["x-functions-key"] = ""));

    [Fact]
    public async Task Call_FromElsewhereClaimingToBeLocalInForwardingHeaders_401() =>
        Assert.Equal(401, await CallAsync(Elsewhere, prepare: r =>
        {
            r.Headers["X-Forwarded-For"] = "127.0.0.1";
            r.Headers["X-Real-IP"] = "127.0.0.1";
            r.Headers["Forwarded"] = "for=127.0.0.1";
            r.Host = new HostString("localhost");
        }));

    [Fact]
    public async Task Call_WithoutAKnownAddress_401() =>
        Assert.Equal(401, await CallAsync(from: null));
}
