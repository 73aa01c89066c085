using System.Buffers;
using System.Text.Json;

namespace TaskEvents.Contracts;

/// <summary>
/// The bytes of a control message on the wire: one SSE frame of plain <c>data:</c> JSON with a <c>type</c>, the
/// <c>last_seq</c> the stream sent and one more key (<c>status</c> or <c>reason</c>), and no id, as the seed sent them.
/// Written by every server that ends a stream: the Api, and the gateway for the streams it fans out itself.
/// </summary>
public static class ControlMessageFrame
{
    private static readonly byte[] DataField = "data: "u8.ToArray();

    public static void Write(IBufferWriter<byte> output, string type, long lastSeq, string key, string value)
    {
        output.Write(DataField);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteNumber("last_seq", lastSeq);
            json.WriteString(key, value);
            json.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}
