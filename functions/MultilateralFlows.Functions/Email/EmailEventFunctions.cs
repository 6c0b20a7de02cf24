using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using MultilateralFlows.Email;

namespace MultilateralFlows.Functions.Email;

/// <summary>SendGrid's Event Webhook: anonymous at the gateway, because SendGrid's ECDSA signature is the credential.</summary>
public sealed class EmailEventFunctions(EmailEventsApi api)
{
    [Function(nameof(ReceiveEmailEvents))]
    public Task<IResult> ReceiveEmailEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "email/events")] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.ReceiveAsync(request, cancellationToken);
}
