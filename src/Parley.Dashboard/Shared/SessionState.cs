using Parley.Client;
using Parley.Client.Models;

namespace Parley.Dashboard.Shared;

/// <summary>The signed-in user, loaded once per page load from <c>GET /v1/auth/me</c> and kept for the session.</summary>
public sealed class SessionState(ParleyClient client)
{
    public SessionResponse? Current { get; private set; }

    public bool Has(string scope) => Current?.Scopes.Contains(scope) == true;

    /// <summary>The session, or null when nobody is signed in (the caller then sends the visitor to sign in).</summary>
    public async Task<SessionResponse?> LoadAsync()
    {
        if (Current is not null)
        {
            return Current;
        }
        try
        {
            Current = await client.GetSessionAsync();
        }
        catch (ParleyApiException error) when (error.Status is 401 or 403)
        {
            Current = null;
        }
        return Current;
    }

    public void SignedIn(SessionResponse session) => Current = session;

    public async Task SignOutAsync()
    {
        await client.SignOutAsync();
        Current = null;
    }
}
