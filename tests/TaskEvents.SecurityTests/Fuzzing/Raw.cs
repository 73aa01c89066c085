using System.Text;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>Text to wire bytes for <see cref="FuzzRequest"/>'s Latin-1 request head.</summary>
public static class Raw
{
    /// <summary>The UTF-8 bytes of <paramref name="text"/>, one Latin-1 character per byte.</summary>
    public static string Utf8(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
