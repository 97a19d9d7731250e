using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// The dashboard links Parley hands out: setup, invitation and password reset. Tokens travel in the fragment
/// (<c>#token=…</c>), which browsers never send to a server, so they stay out of access logs and referrers.
/// </summary>
public sealed class AccountLinks(IOptions<AccountOptions> options, IServer server)
{
    public string Setup(HttpContext? http, string token) => $"{BaseUrl(http)}/app/setup#token={Uri.EscapeDataString(token)}";

    public string Invitation(HttpContext? http, string token) => $"{BaseUrl(http)}/app/invitation#token={Uri.EscapeDataString(token)}";

    public string PasswordReset(HttpContext? http, string token) => $"{BaseUrl(http)}/app/reset-password#token={Uri.EscapeDataString(token)}";

    /// <summary>The configured public address; else the address the request came to; else the server's first address.</summary>
    public string BaseUrl(HttpContext? http)
    {
        if (options.Value.PublicUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }
        if (http is not null)
        {
            return $"{http.Request.Scheme}://{http.Request.Host}";
        }
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        return address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
