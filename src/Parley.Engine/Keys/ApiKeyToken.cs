using System.Security.Cryptography;
using System.Text;

namespace Parley.Engine.Keys;

/// <summary>The two kinds of API key.</summary>
public enum ApiKeyKind
{
    /// <summary><c>sk_…</c>: server-to-server, full access to its workspace unless narrowed by scopes.</summary>
    Secret,

    /// <summary><c>pk_…</c>: safe in a web page, valid only from the key's allowed origins, opens widget sessions.</summary>
    Publishable,
}

/// <summary>Makes and hashes API key tokens. Tokens are stored only as their SHA-256 hash.</summary>
public static class ApiKeyToken
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int RandomLength = 32; // 32 base62 characters: ~190 bits of entropy.
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    /// <summary>How many characters of a token are kept in clear to help people tell keys apart.</summary>
    public const int VisiblePrefixLength = 11;

    public static string Prefix(ApiKeyKind kind) => kind == ApiKeyKind.Secret ? "sk_" : "pk_";

    /// <summary>A new random token of the given kind.</summary>
    public static string Generate(ApiKeyKind kind) =>
        Prefix(kind) + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    /// <summary>The kind a token claims to be by its prefix, or null for anything else.</summary>
    public static ApiKeyKind? KindOf(string token) =>
        token.StartsWith("sk_", StringComparison.Ordinal) ? ApiKeyKind.Secret
        : token.StartsWith("pk_", StringComparison.Ordinal) ? ApiKeyKind.Publishable
        : null;

    /// <summary>Whether a token has the shape of one this class makes (kind prefix and length).</summary>
    public static bool IsWellFormed(string token) =>
        KindOf(token) is not null && token.Length == 3 + RandomLength && token.AsSpan(3).IndexOfAnyExcept(AlphabetValues) < 0;

    /// <summary>The SHA-256 hash of a token, as stored.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The leading characters shown in lists (<c>sk_4fQ2a8Zk</c>).</summary>
    public static string VisiblePrefix(string token) => token[..Math.Min(VisiblePrefixLength, token.Length)];
}
