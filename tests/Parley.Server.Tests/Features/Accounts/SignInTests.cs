using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Accounts;

public sealed class SignInTests : IClassFixture<SignInTests.App>
{
    private readonly App _app;

    public SignInTests(App app) => _app = app;

    public sealed class App : ParleyApp
    {
        public App() => With("Parley:Accounts:MaxFailedSignIns", "3");
    }

    [Fact]
    public async Task SignIn_WrongPassword_401InvalidCredentialsAndAudited()
    {
        await Sessions.OwnerAsync(_app);
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", new { email = Sessions.OwnerEmail, password = "not the password" }))
            .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", new { email = "nobody@shop.example", password = "whatever it is" }))
            .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var audit = await (await _app.Client().GetAsync("/v1/audit?action=user.sign_in_failed")).JsonAsync(HttpStatusCode.OK);
        Assert.NotEmpty(audit["data"]!.AsArray());
        await Sessions.SignInAsync(_app, Sessions.OwnerEmail);
    }

    [Fact]
    public async Task SignIn_MissingFields_400WithFieldErrors()
    {
        var before = await _app.RowCountsAsync();
        var problem = await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", new { email = "" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(problem["errors"]!["email"]);
        Assert.NotNull(problem["errors"]!["password"]);
        Assert.Equal(before, await _app.RowCountsAsync());
    }

    [Fact]
    public async Task SignIn_TooManyWrongPasswords_LockedEvenWithRightPassword()
    {
        var owner = await Sessions.OwnerAsync(_app);
        await Sessions.JoinAsync(_app, owner, "locked@shop.example", "viewer");
        for (var i = 0; i < 2; i++)
        {
            await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", new { email = "locked@shop.example", password = "guess number " + i }))
                .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        }
        var locked = await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", new { email = "locked@shop.example", password = "the third guess" });
        await locked.ProblemAsync(HttpStatusCode.TooManyRequests, "account_locked");
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", new { email = "locked@shop.example", password = Sessions.Password }))
            .ProblemAsync(HttpStatusCode.TooManyRequests, "account_locked");
        var audit = await (await _app.Client().GetAsync("/v1/audit?action=user.locked_out")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(audit["data"]!.AsArray());
    }

    [Fact]
    public async Task PasswordReset_LinkFromAdmin_NewPasswordWorksOldDoesNot()
    {
        var owner = await Sessions.OwnerAsync(_app);
        var agent = await Sessions.JoinAsync(_app, owner, "forgetful@shop.example", "agent");
        var agentId = await Sessions.UserIdAsync(agent);
        var link = await (await owner.PostAsync($"/v1/users/{agentId}/password-reset", null)).JsonAsync(HttpStatusCode.OK);
        var token = Sessions.TokenOf((string)link["url"]!);

        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/password-reset/confirm", new { token = token + "x", password = "a brand new passphrase" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(HttpStatusCode.NoContent,
            (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/password-reset/confirm", new { token, password = "a brand new passphrase" })).StatusCode);

        await (await agent.GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_session");
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", new { email = "forgetful@shop.example", password = Sessions.Password }))
            .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await Sessions.SignInAsync(_app, "forgetful@shop.example", "a brand new passphrase");
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/password-reset/confirm", new { token, password = "yet another passphrase" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task RequestPasswordReset_UnknownEmail_202()
    {
        Assert.Equal(HttpStatusCode.Accepted,
            (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/password-reset", new { email = "nobody@shop.example" })).StatusCode);
    }
}
