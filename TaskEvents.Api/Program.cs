using TaskEvents.Api.Apis;
using TaskEvents.Api.Extensions;
using TaskEvents.Api.Observability;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(ApiMetrics.MeterName);
builder.AddApiServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapTasksApi();
app.MapSseApi();

app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
