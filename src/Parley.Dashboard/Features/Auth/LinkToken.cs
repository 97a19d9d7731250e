namespace Parley.Dashboard.Features.Auth;

/// <summary>The token of a setup, invitation or reset link, carried in the fragment (<c>#token=…</c>) so no server ever logs it.</summary>
public static class LinkToken
{
    public static string? Read(string uri)
    {
        var hash = uri.IndexOf("#token=", StringComparison.Ordinal);
        return hash < 0 ? null : Uri.UnescapeDataString(uri[(hash + "#token=".Length)..]);
    }
}
