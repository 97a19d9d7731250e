using System.Security.Cryptography;

namespace Parley.Engine.Randomness;

/// <summary>
/// Bytes from the system's cryptographic generator, drawn <see cref="BufferSize"/> at a time for each thread and each
/// handed out once. A call into the generator (OpenSSL's takes a lock and checks for a fork every time) costs more than
/// an id's or a nonce's few bytes are worth; the bytes themselves are the generator's, as random as a direct call's.
/// </summary>
public static class ThreadRandomBytes
{
    public const int BufferSize = 256;

    [ThreadStatic]
    private static byte[]? t_buffer;
    [ThreadStatic]
    private static int t_used;

    /// <summary>Fills <paramref name="destination"/> with random bytes no other caller gets.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        var buffer = t_buffer;
        if (buffer is null || t_used + destination.Length > buffer.Length)
        {
            // Marked used up before it is filled: a fill that throws must not leave bytes behind to hand out again.
            t_used = BufferSize;
            buffer = t_buffer ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            t_used = 0;
        }
        buffer.AsSpan(t_used, destination.Length).CopyTo(destination);
        t_used += destination.Length;
    }
}
