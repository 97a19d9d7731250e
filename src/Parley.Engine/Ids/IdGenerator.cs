using System.Buffers.Binary;
using Parley.Engine.Randomness;

namespace Parley.Engine.Ids;

/// <summary>
/// Makes prefixed, time-sortable ids (<c>conv_01JD…</c>): a UUIDv7 written in Crockford base32, so that
/// ordinal string order is creation order. Ids made by one process are strictly increasing, even within
/// one millisecond (RFC 9562, method 1: a counter in the <c>rand_a</c> bits), which keeps a user message
/// ahead of the bot reply made in the same millisecond.
/// </summary>
public sealed class IdGenerator(TimeProvider time)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly Lock _gate = new();
    private long _lastMillis;
    private int _counter;

    /// <summary>A shared generator on the system clock.</summary>
    public static IdGenerator Default { get; } = new(TimeProvider.System);

    /// <summary>A new id with the given prefix, such as <c>msg</c>.</summary>
    public string New(string prefix)
    {
        long millis;
        int counter;
        lock (_gate)
        {
            millis = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (millis <= _lastMillis)
            {
                millis = _lastMillis;
                _counter++;
                if (_counter > 0xFFF)
                {
                    // Counter exhausted within one millisecond: borrow the next millisecond.
                    millis++;
                    _counter = 0;
                }
            }
            else
            {
                Span<byte> random = stackalloc byte[2];
                ThreadRandomBytes.Fill(random);
                _counter = BinaryPrimitives.ReadUInt16LittleEndian(random) & 0x7FF;
            }
            _lastMillis = millis;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        ThreadRandomBytes.Fill(bytes[8..]);
        bytes[0] = (byte)(millis >> 40);
        bytes[1] = (byte)(millis >> 32);
        bytes[2] = (byte)(millis >> 24);
        bytes[3] = (byte)(millis >> 16);
        bytes[4] = (byte)(millis >> 8);
        bytes[5] = (byte)millis;
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return prefix + "_" + EncodeBase32(bytes);
    }

    /// <summary>The creation time encoded in an id made by <see cref="New"/>, or null if it is not one.</summary>
    public static DateTimeOffset? TimestampOf(string id)
    {
        var underscore = id.LastIndexOf('_');
        if (underscore < 0 || id.Length - underscore - 1 != 26)
        {
            return null;
        }
        long millis = 0;
        // The first 10 base32 characters hold 2 padding bits and then the 48-bit timestamp.
        foreach (var c in id.AsSpan(underscore + 1, 10))
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }
            millis = (millis << 5) | (long)value;
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }

    /// <summary>
    /// The smallest id with this prefix that <see cref="New"/> could make at or after <paramref name="time"/>:
    /// ids compare like their creation times, so a time range is an id range.
    /// </summary>
    public static string LowestFor(string prefix, DateTimeOffset time)
    {
        var millis = Math.Max(0, time.ToUnixTimeMilliseconds());
        Span<byte> bytes = stackalloc byte[16];
        bytes[0] = (byte)(millis >> 40);
        bytes[1] = (byte)(millis >> 32);
        bytes[2] = (byte)(millis >> 24);
        bytes[3] = (byte)(millis >> 16);
        bytes[4] = (byte)(millis >> 8);
        bytes[5] = (byte)millis;
        return prefix + "_" + EncodeBase32(bytes);
    }

    private static string EncodeBase32(ReadOnlySpan<byte> bytes)
    {
        // 128 bits -> 26 characters; the first character carries the top 3 bits.
        Span<char> chars = stackalloc char[26];
        var hi = (UInt128)((ulong)bytes[0] << 56 | (ulong)bytes[1] << 48 | (ulong)bytes[2] << 40 | (ulong)bytes[3] << 32
            | (ulong)bytes[4] << 24 | (ulong)bytes[5] << 16 | (ulong)bytes[6] << 8 | bytes[7]);
        var lo = (UInt128)((ulong)bytes[8] << 56 | (ulong)bytes[9] << 48 | (ulong)bytes[10] << 40 | (ulong)bytes[11] << 32
            | (ulong)bytes[12] << 24 | (ulong)bytes[13] << 16 | (ulong)bytes[14] << 8 | bytes[15]);
        var value = (hi << 64) | lo;
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }
}
