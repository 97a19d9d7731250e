namespace Parley.Server.Infrastructure.Auth;

/// <summary>Matches a browser's <c>Origin</c> against a publishable key's allowed origins.</summary>
public static class OriginPolicy
{
    public static bool Allows(IReadOnlyList<string> allowed, string origin)
    {
        if (allowed.Contains("*"))
        {
            return true;
        }
        if (Normalize(origin) is not { } normalized)
        {
            return false;
        }
        foreach (var candidate in allowed)
        {
            if (string.Equals(Normalize(candidate), normalized, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><c>scheme://host[:port]</c> in lower case, without a default port or path; null if not an origin.</summary>
    public static string? Normalize(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }
        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
    }
}
