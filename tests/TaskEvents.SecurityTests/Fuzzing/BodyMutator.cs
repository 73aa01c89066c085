namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>Byte-level mutations of a valid body: flips, cuts, inserts of JSON-significant tokens, duplicated slices.</summary>
public static class BodyMutator
{
    private static readonly byte[][] Tokens =
    [
        "\""u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "\\"u8.ToArray(), "\\u0000"u8.ToArray(), "\\ud800"u8.ToArray(), "null"u8.ToArray(), "1e999"u8.ToArray(), "-"u8.ToArray(),
        "\n\ndata: x\n\n"u8.ToArray(), [0x00], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], "\"events\":"u8.ToArray(), "99999999999999999999"u8.ToArray(),
    ];

    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var rounds = random.Next(1, 5);
        for (var i = 0; i < rounds; i++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 4 when bytes.Count > 0:
                    var length = Math.Min(random.Next(1, 32), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>A request target with a few characters changed, inserted or cut.</summary>
    public static string MutateTarget(string target, Random random)
    {
        const string alphabet = "/?&=%.:;#\\ \t\"'<>{}|^`[]~!$*+,@-_09azAZ\u00ff\u0080";
        var chars = new List<char>(target);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var at = random.Next(1, chars.Count + 1);
            switch (random.Next(3))
            {
                case 0 when at < chars.Count:
                    chars[at] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 1 when at < chars.Count:
                    chars.RemoveAt(at);
                    break;
                default:
                    chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
            }
        }

        return new string([.. chars]);
    }
}
