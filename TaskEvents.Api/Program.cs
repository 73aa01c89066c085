using TaskEvents.Api.Apis;
using TaskEvents.Api.Extensions;
using TaskEvents.Api.Observability;
using TaskEvents.ServiceDefaults.Http;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(ApiMetrics.MeterName);
// The Api validates tokens itself: it never trusts the gateway to have done it.
builder.AddDefaultAuthentication();
builder.AddApiServices();

var app = builder.Build();

app.UseProblemResponses();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
// One document at one fixed path: any other name is an ordinary 404 problem, not the generator's plain-text answer.
app.MapOpenApi("/openapi/v1.json");
app.MapTasksApi();
app.MapSseApi();

app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
