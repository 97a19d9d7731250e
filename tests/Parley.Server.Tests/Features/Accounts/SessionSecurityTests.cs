using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Accounts;

public sealed class SessionSecurityTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task V1_NoSessionNoKey_401()
    {
        var anonymous = Sessions.Browser(app);
        await (await anonymous.GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
        await (await anonymous.GetAsync("/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
        await (await anonymous.GetAsync("/v1/users")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task Cookie_SameOriginWithCsrfToken_ChangesWork()
    {
        var owner = await Sessions.OwnerAsync(app);
        (await owner.GetAsync("/v1/bots")).EnsureSuccessStatusCode();
        await (await owner.PostJsonAsync("/v1/bots", new { name = "From the dashboard" })).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Cookie_PostWithoutCsrfToken_403AndNothingWritten()
    {
        var owner = await Sessions.OwnerAsync(app);
        owner.DefaultRequestHeaders.Remove(Sessions.CsrfHeader);
        var before = await app.RowCountsAsync();
        await (await owner.PostJsonAsync("/v1/bots", new { name = "Forged" })).ProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Cookie_CrossSitePost_403EvenWithToken()
    {
        var owner = await Sessions.OwnerAsync(app);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/bots") { Content = System.Net.Http.Json.JsonContent.Create(new { name = "Forged" }) };
        request.Headers.Add("Origin", "https://evil.example");
        await (await owner.SendAsync(request)).ProblemAsync(HttpStatusCode.Forbidden, "csrf_rejected");
    }

    [Fact]
    public async Task Cookie_Tampered_401()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", "parley_session=CfDJ8forged");
        await (await client.GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task SignOutEverywhere_OtherSession_401InvalidSession()
    {
        await Sessions.OwnerAsync(app);
        var owner = await Sessions.OwnerAsync(app);
        var admin = await Sessions.JoinAsync(app, owner, "admin.everywhere@shop.example", "admin");
        var laptop = await Sessions.SignInAsync(app, "admin.everywhere@shop.example");
        (await laptop.GetAsync("/v1/bots")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/v1/auth/sign-out-everywhere", null)).StatusCode);

        await (await laptop.GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_session");
        (await (await Sessions.SignInAsync(app, "admin.everywhere@shop.example")).GetAsync("/v1/bots")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task SignOut_ThisSession_CookieNoLongerWorks()
    {
        var owner = await Sessions.OwnerAsync(app);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PostAsync("/v1/auth/sign-out", null)).StatusCode);
        await (await owner.GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task Me_WithApiKey_403()
    {
        await (await app.Client().GetAsync("/v1/auth/me")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
