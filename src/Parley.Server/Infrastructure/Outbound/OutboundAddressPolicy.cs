using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Infrastructure.Outbound;

/// <summary>Tells public internet addresses from the ones an outbound call must not reach unless allowed.</summary>
public static class OutboundAddressPolicy
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast, site-local.
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (first & 0xFE) == 0xFC);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10
            || b[0] == 0
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)   // carrier-grade NAT
            || b[0] == 127
            || (b[0] == 169 && b[1] == 254)                  // link-local, cloud metadata
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] == 0)
            || (b[0] == 198 && (b[1] == 18 || b[1] == 19))   // benchmarking
            || b[0] >= 224);                                 // multicast and reserved
    }

    /// <summary>Checks a URL before it is stored: http(s), and not an obviously private host unless allowed.</summary>
    public static string? Problem(string url, bool allowPrivate)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url.Length > 2048)
        {
            return "must be an absolute http(s) URL of at most 2048 characters";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not contain a user name or password";
        }
        if (allowPrivate)
        {
            return null;
        }
        if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) && !IsPublic(ip)))
        {
            return "points to a private or loopback address, which is not allowed (Parley:Network:AllowPrivateTargets)";
        }
        return null;
    }
}
