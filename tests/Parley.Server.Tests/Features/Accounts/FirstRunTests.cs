using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Accounts;

public sealed class FirstRunTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Setup_TokenFromSetupLink_CreatesOwnerOnceAndSignsIn()
    {
        var url = await Sessions.SetupUrlAsync(app);
        Assert.Contains("/app/setup#token=setup_", url, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(app.DataDirectory, "setup-url.txt")));
        }
        var browser = Sessions.Browser(app);
        await (await browser.PostJsonAsync("/v1/auth/setup", new { setup_token = "setup_forged", email = "x@shop.example", password = Sessions.Password }))
            .ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await browser.PostJsonAsync("/v1/auth/setup", new { setup_token = Sessions.TokenOf(url), email = "owner@shop.example", password = "short" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        var response = await browser.PostJsonAsync("/v1/auth/setup",
            new { setup_token = Sessions.TokenOf(url), email = "owner@shop.example", password = Sessions.Password, name = "Olivia" });
        var session = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("owner", (string?)session["user"]!["role"]);
        Assert.Contains("api_keys:write", session["scopes"]!.AsArray().Select(s => (string?)s));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("parley_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "setup-url.txt")));

        var me = await (await browser.GetAsync("/v1/auth/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("owner@shop.example", (string?)me["user"]!["email"]);
        Assert.False((bool)(await (await browser.GetAsync("/v1/auth/setup")).JsonAsync(HttpStatusCode.OK))["setup_required"]!);

        await (await Sessions.Browser(app).PostJsonAsync("/v1/auth/setup",
            new { setup_token = Sessions.TokenOf(url), email = "second@shop.example", password = Sessions.Password }))
            .ProblemAsync(HttpStatusCode.Conflict, "conflict");
        var audit = await (await app.Client().GetAsync("/v1/audit")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("workspace.owner_created", audit["data"]!.AsArray().Select(a => (string?)a!["action"]));
    }
}
