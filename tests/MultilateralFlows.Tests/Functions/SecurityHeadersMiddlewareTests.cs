using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Moq;
using MultilateralFlows.Functions.Http;

namespace MultilateralFlows.Tests.Functions;

/// <summary>The Functions app's middleware puts the security headers on every HTTP answer, also one written after an error cleared it.</summary>
public sealed class SecurityHeadersMiddlewareTests
{
    [Fact]
    public async Task Invoke_HttpFunction_HeadersAreSetWhenTheResponseStartsEvenAfterItWasCleared()
    {
        var response = new StartableResponse();
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpResponseFeature>(response);
        // Where the ASP.NET Core integration keeps the request's HttpContext (what GetHttpContext() reads).
        var context = FunctionContextWith(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        var ran = false;

        await new SecurityHeadersMiddleware().Invoke(context, _ =>
        {
            ran = true;
            http.Response.Headers.Clear();
            http.Response.ContentType = "application/problem+json";
            return Task.CompletedTask;
        });
        await response.StartAsync();

        Assert.True(ran);
        Assert.Equal("nosniff", http.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("no-store", http.Response.Headers.CacheControl.ToString());
        Assert.Equal("no-referrer", http.Response.Headers["Referrer-Policy"].ToString());
        Assert.Equal("DENY", http.Response.Headers.XFrameOptions.ToString());
    }

    [Fact]
    public async Task Invoke_ActivityOrOrchestrator_RunsTheFunctionAndTouchesNothing()
    {
        var context = FunctionContextWith(new Dictionary<object, object>());
        var ran = false;

        await new SecurityHeadersMiddleware().Invoke(context, _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(ran);
    }

    static FunctionContext FunctionContextWith(IDictionary<object, object> items)
    {
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(items);
        return context.Object;
    }

    /// <summary>A response that runs its on-starting callbacks when told to, as a server does before the first byte.</summary>
    sealed class StartableResponse : HttpResponseFeature
    {
        readonly List<(Func<object, Task> Callback, object State)> starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => starting.Add((callback, state));

        public async Task StartAsync()
        {
            foreach (var (callback, state) in Enumerable.Reverse(starting))
            {
                await callback(state);
            }
        }
    }
}
