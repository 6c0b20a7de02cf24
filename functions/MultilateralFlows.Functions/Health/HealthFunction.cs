using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using MultilateralFlows.Http;

namespace MultilateralFlows.Functions.Health;

public static class HealthFunction
{
    [Function(nameof(Health))]
    public static IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) => HealthApi.Get();
}
