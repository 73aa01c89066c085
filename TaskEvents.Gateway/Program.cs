using TaskEvents.Gateway.DevTokens;
using TaskEvents.Gateway.Extensions;
using TaskEvents.Gateway.FanOut;
using TaskEvents.Gateway.Proxy;
using TaskEvents.Gateway.Security;
using TaskEvents.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(FanOutMetrics.MeterName);
builder.AddDefaultAuthentication(queryTokenPath: GatewayPaths.Streams);
builder.AddGatewayServices();

var app = builder.Build();

app.UseProblemResponses();
app.UseSecurityHeaders();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRouting();
app.UseCors();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseRequestTimeouts();

app.MapDefaultEndpoints();
app.MapDevTokenApi();
app.MapGatewayProxy();

app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
