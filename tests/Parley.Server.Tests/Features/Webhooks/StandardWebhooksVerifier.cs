using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Tests.Features.Webhooks;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification and not from the server's
/// code: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64 part of the whsec_ secret.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static bool Verify(string secret, IReadOnlyDictionary<string, string> headers, string body, TimeSpan? tolerance = null)
    {
        var id = headers["webhook-id"];
        var timestamp = long.Parse(headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > (tolerance ?? TimeSpan.FromMinutes(5)).TotalSeconds)
        {
            return false;
        }
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return headers["webhook-signature"].Split(' ').Any(candidate => candidate == expected);
    }
}
