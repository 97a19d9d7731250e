using System.Security.Cryptography;
using System.Text;

namespace Parley.Engine.Webhooks;

/// <summary>
/// Signs webhook bodies per the Standard Webhooks specification: the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, the signature <c>v1,</c> + base64 HMAC-SHA256 under the secret's
/// bytes (the base64 after <c>whsec_</c>). Several signatures are separated by spaces, which lets a rotated secret
/// keep signing beside the new one.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The value of the <c>webhook-signature</c> header for these secrets, in the order given.</summary>
    public static string Sign(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => "v1," + Compute(secret, messageId, timestamp, body)));

    /// <summary>Whether any signature in <paramref name="header"/> is valid for <paramref name="secret"/>.</summary>
    public static bool Verify(string secret, string messageId, long timestamp, string body, string header)
    {
        var expected = Encoding.ASCII.GetBytes(Compute(secret, messageId, timestamp, body));
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            // Stryker disable once Equality : a part starting with a comma has an empty version, which is not "v1" either.
            if (comma > 0 && part[..comma] == "v1" &&
                CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(part[(comma + 1)..])))
            {
                return true;
            }
        }
        return false;
    }

    private static string Compute(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
