using TaskEvents.Gateway.DevTokens;
using TaskEvents.Gateway.Extensions;
using TaskEvents.Gateway.Proxy;
using TaskEvents.Gateway.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTokenAuthentication(queryTokenPath: GatewayPaths.Streams);
builder.AddGatewayServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
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
app.MapReverseProxy(proxy =>
{
    proxy.UseMiddleware<StreamShutdownMiddleware>();
    proxy.UseMiddleware<RequestBodyBufferMiddleware>();
    proxy.UseMiddleware<SafeResendMiddleware>();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
