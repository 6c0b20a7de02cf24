using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using MultilateralFlows.Replies;

namespace MultilateralFlows.Functions.Replies;

/// <summary>The participant's routes: anonymous at the gateway, because the reply token in the path is the credential.</summary>
public sealed class ReplyFunctions(ReplyApi api)
{
    [Function(nameof(ShowReplyForm))]
    public Task<IResult> ShowReplyForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reply/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        api.ShowFormAsync(token, cancellationToken);

    [Function(nameof(SubmitReply))]
    public Task<IResult> SubmitReply(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reply/{token}")] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.SubmitAsync(token, request, client, cancellationToken);
}
