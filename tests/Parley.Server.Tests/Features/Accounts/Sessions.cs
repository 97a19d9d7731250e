using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Accounts;

/// <summary>Dashboard sessions in tests: a client that keeps cookies like a browser and sends the session's csrf_token.</summary>
public static class Sessions
{
    public const string OwnerEmail = "owner@shop.example";
    public const string Password = "correct horse battery staple";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>The setup link the server wrote on its first start; waits for it with a deadline.</summary>
    public static async Task<string> SetupUrlAsync(ParleyApp app)
    {
        var path = Path.Combine(app.DataDirectory, "setup-url.txt");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The server wrote no setup link.");
            await Task.Delay(20);
        }
        return (await File.ReadAllTextAsync(path)).Trim();
    }

    public static string TokenOf(string url) => Uri.UnescapeDataString(url[(url.IndexOf("#token=", StringComparison.Ordinal) + 7)..]);

    public static HttpClient Browser(ParleyApp app) => app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    /// <summary>Creates the owner through the setup link once per app, and returns a client signed in as them.</summary>
    public static async Task<HttpClient> OwnerAsync(ParleyApp app)
    {
        var anonymous = Browser(app);
        var status = await (await anonymous.GetAsync("/v1/auth/setup")).JsonAsync(HttpStatusCode.OK);
        if ((bool)status["setup_required"]!)
        {
            var token = TokenOf(await SetupUrlAsync(app));
            var session = await (await anonymous.PostJsonAsync("/v1/auth/setup", new { setup_token = token, email = OwnerEmail, password = Password, name = "Olivia Owner" }))
                .JsonAsync(HttpStatusCode.Created);
            return WithCsrf(anonymous, session);
        }
        return await SignInAsync(app, OwnerEmail);
    }

    public static async Task<HttpClient> SignInAsync(ParleyApp app, string email, string password = Password)
    {
        var client = Browser(app);
        var session = await (await client.PostJsonAsync("/v1/auth/sign-in", new { email, password })).JsonAsync(HttpStatusCode.OK);
        return WithCsrf(client, session);
    }

    /// <summary>Invites <paramref name="email"/> with <paramref name="role"/> as <paramref name="inviter"/>, accepts, and returns their client.</summary>
    public static async Task<HttpClient> JoinAsync(ParleyApp app, HttpClient inviter, string email, string role)
    {
        var invitation = await (await inviter.PostJsonAsync("/v1/invitations", new { email, role })).JsonAsync(HttpStatusCode.Created);
        var client = Browser(app);
        var session = await (await client.PostJsonAsync("/v1/auth/invitations/accept", new { token = TokenOf((string)invitation["url"]!), password = Password }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(role, (string?)session["user"]!["role"]);
        return WithCsrf(client, session);
    }

    public static async Task<string> UserIdAsync(HttpClient client) =>
        (await (await client.GetAsync("/v1/auth/me")).JsonAsync(HttpStatusCode.OK)).Id("user.id");

    private static HttpClient WithCsrf(HttpClient client, JsonNode session)
    {
        client.DefaultRequestHeaders.Remove(CsrfHeader);
        client.DefaultRequestHeaders.Add(CsrfHeader, (string)session["csrf_token"]!);
        return client;
    }
}
