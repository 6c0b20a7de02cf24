using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using MultilateralFlows.Functions.Http;
using MultilateralFlows.Functions.Telemetry;
using MultilateralFlows.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<SecurityHeadersMiddleware>();
builder.Services
    .AddAzureMonitorTelemetry(builder.Configuration)
    .AddMultilateralFlows(builder.Configuration);
builder.Build().Run();
