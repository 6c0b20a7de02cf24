using Microsoft.AspNetCore.Http;

namespace MultilateralFlows.Http;

/// <summary><c>GET /api/health</c>: liveness only; it touches no storage, so it says the process answers, nothing more.</summary>
public static class HealthApi
{
    public static IResult Get() => Results.Json(new HealthStatus("ok"), WorkflowJson.Options);

    public sealed record HealthStatus(string Status);
}
