using System.Text;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Just enough protobuf to hand-build the few messages the dashboard attacks send (an OTLP trace export, a resource
/// command), so the tests need no generated code for the dashboard's or the AppHost's gRPC services.
/// </summary>
public sealed class ProtobufWriter
{
    private readonly MemoryStream _buffer = new();

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    public ProtobufWriter Bytes(int field, byte[] value)
    {
        Varint((ulong)((field << 3) | 2));
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtobufWriter Enum(int field, int value)
    {
        Varint((ulong)(field << 3));
        Varint((ulong)value);
        return this;
    }

    public ProtobufWriter Fixed64(int field, ulong value)
    {
        Varint((ulong)((field << 3) | 1));
        _buffer.Write(BitConverter.GetBytes(value));
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>The message as one gRPC frame: uncompressed flag, big-endian length, the message.</summary>
    public byte[] ToGrpcFrame()
    {
        var message = ToArray();
        var frame = new byte[5 + message.Length];
        frame[1] = (byte)(message.Length >> 24);
        frame[2] = (byte)(message.Length >> 16);
        frame[3] = (byte)(message.Length >> 8);
        frame[4] = (byte)message.Length;
        message.CopyTo(frame, 5);
        return frame;
    }

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
