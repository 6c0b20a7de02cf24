using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultilateralFlows.Functions.Http;
using MultilateralFlows.Functions.Telemetry;
using MultilateralFlows.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<SecurityHeadersMiddleware>();
builder.UseMiddleware<CoordinatorSignInMiddleware>();
// ASP.NET Core's "Request starting/finished" lines carry the URL path, and a reply link's path is its secret token: not
// logged, so no log (and no telemetry exported from it) holds a live token. The host records each request itself.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
builder.Services
    .AddAzureMonitorTelemetry(builder.Configuration)
    .AddMultilateralFlows(builder.Configuration);
builder.Build().Run();
