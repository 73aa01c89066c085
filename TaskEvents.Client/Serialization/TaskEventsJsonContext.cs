using System.Text.Json.Serialization;
using TaskEvents.Client.Streaming;

namespace TaskEvents.Client.Serialization;

/// <summary>Source-generated JSON for the wire shapes, snake_case as the server speaks it.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TaskEvent))]
[JsonSerializable(typeof(TaskInfo))]
[JsonSerializable(typeof(EventPage))]
[JsonSerializable(typeof(AppendResult))]
[JsonSerializable(typeof(AppendRequestBody))]
[JsonSerializable(typeof(CreateTaskRequestBody))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(ControlMessage))]
internal sealed partial class TaskEventsJsonContext : JsonSerializerContext;
