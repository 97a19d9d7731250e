using System.Net;
using OtpNet;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Accounts;

[Trait(Storage.Trait, Storage.Independent)]
public sealed class TwoFactorTests : IClassFixture<TwoFactorTests.App>
{
    private readonly App _app;

    public TwoFactorTests(App app) => _app = app;

    public sealed class App : ParleyApp
    {
        public App() => With("Parley:Accounts:MaxFailedSignIns", "3");
    }

    [Fact]
    public async Task TwoFactor_EnrolSignInWithCodeAndRecoveryCode_ThenDisable()
    {
        var owner = await Sessions.OwnerAsync(_app);
        var admin = await Sessions.JoinAsync(_app, owner, "careful@shop.example", "admin");
        var adminId = await Sessions.UserIdAsync(admin);
        var otherDevice = await Sessions.SignInAsync(_app, "careful@shop.example");

        var setup = await (await admin.PostAsync("/v1/auth/two-factor/authenticator", null)).JsonAsync(HttpStatusCode.OK);
        var key = (string)setup["shared_key"]!;
        Assert.StartsWith("otpauth://totp/Parley:careful%40shop.example?secret=", (string)setup["authenticator_uri"]!);
        Assert.StartsWith("data:image/png;base64,", (string)setup["qr_code"]!);

        var wrong = await (await admin.PostJsonAsync("/v1/auth/two-factor/enable", new { code = "000000" == CodeOf(key) ? "111111" : "000000" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(wrong["errors"]!["code"]);
        Assert.False((bool)(await (await admin.GetAsync("/v1/auth/two-factor")).JsonAsync(HttpStatusCode.OK))["enabled"]!);

        var enabled = await (await admin.PostJsonAsync("/v1/auth/two-factor/enable", new { code = CodeOf(key) })).JsonAsync(HttpStatusCode.OK);
        var recoveryCodes = enabled["recovery_codes"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(10, recoveryCodes.Distinct().Count());
        var status = await (await admin.GetAsync("/v1/auth/two-factor")).JsonAsync(HttpStatusCode.OK);
        Assert.True((bool)status["enabled"]!);
        Assert.Equal(10, (int)status["recovery_codes_left"]!);
        // The session that turned it on goes on, with the same csrf_token; the user's other sessions end.
        await (await admin.PostJsonAsync("/v1/bots", new { name = "Still signed in" })).JsonAsync(HttpStatusCode.Created);
        await (await otherDevice.GetAsync("/v1/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_session");
        await (await admin.PostAsync("/v1/auth/two-factor/authenticator", null)).ProblemAsync(HttpStatusCode.Conflict, "conflict");

        var team = await (await owner.GetAsync("/v1/users")).JsonAsync(HttpStatusCode.OK);
        Assert.True((bool)team["data"]!.AsArray().Single(u => (string)u!["email"]! == "careful@shop.example")!["two_factor_enabled"]!);

        await SignInProblemAsync(new { email = "careful@shop.example", password = Sessions.Password }, "two_factor_required");
        await SignInProblemAsync(new { email = "careful@shop.example", password = "wrong password", two_factor_code = CodeOf(key, stepsAhead: 1) }, "invalid_credentials");
        var withCode = await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in",
            new { email = "careful@shop.example", password = Sessions.Password, two_factor_code = CodeOf(key, stepsAhead: 1) });
        await withCode.JsonAsync(HttpStatusCode.OK);
        var recovery = new { email = "careful@shop.example", password = Sessions.Password, recovery_code = recoveryCodes[0] };
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", recovery)).JsonAsync(HttpStatusCode.OK);
        await SignInProblemAsync(recovery, "invalid_two_factor_code");

        var signIns = await (await owner.GetAsync("/v1/audit?action=user.signed_in")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(signIns["data"]!.AsArray(), e => (string?)e!["detail"] == "with a recovery code");
        Assert.Single((await (await owner.GetAsync("/v1/audit?action=user.two_factor_enabled")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray(),
            e => (string?)e!["target_id"] == adminId);

        var badPassword = await (await admin.PostJsonAsync("/v1/auth/two-factor/disable", new { password = "not my password" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(badPassword["errors"]!["password"]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync("/v1/auth/two-factor/disable", new { password = Sessions.Password })).StatusCode);
        Assert.Single((await (await owner.GetAsync("/v1/audit?action=user.two_factor_disabled")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray(),
            e => (string?)e!["target_id"] == adminId);
        await Sessions.SignInAsync(_app, "careful@shop.example");
    }

    [Fact]
    public async Task SignIn_WrongCodesInARow_LockedLikeWrongPasswords()
    {
        var owner = await Sessions.OwnerAsync(_app);
        var agent = await Sessions.JoinAsync(_app, owner, "guessed@shop.example", "agent");
        var key = await EnableAsync(agent);
        var wrongCode = CodeOf(key) == "123456" ? "654321" : "123456";
        for (var i = 0; i < 2; i++)
        {
            await SignInProblemAsync(new { email = "guessed@shop.example", password = Sessions.Password, two_factor_code = wrongCode }, "invalid_two_factor_code");
        }
        await SignInProblemAsync(new { email = "guessed@shop.example", password = Sessions.Password, two_factor_code = wrongCode }, "account_locked");
        await SignInProblemAsync(new { email = "guessed@shop.example", password = Sessions.Password, two_factor_code = CodeOf(key, stepsAhead: 1) }, "account_locked");
    }

    [Fact]
    public async Task SignIn_CodeAlreadyAccepted_RefusedWithinItsWindow()
    {
        var owner = await Sessions.OwnerAsync(_app);
        var agent = await Sessions.JoinAsync(_app, owner, "replayed@shop.example", "agent");
        var key = await EnableAsync(agent);

        // The code that turned two-factor on cannot sign in, though its 30 seconds may not be over.
        await SignInProblemAsync(new { email = "replayed@shop.example", password = Sessions.Password, two_factor_code = CodeOf(key) }, "invalid_two_factor_code");
        var next = new { email = "replayed@shop.example", password = Sessions.Password, two_factor_code = CodeOf(key, stepsAhead: 1) };
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", next)).JsonAsync(HttpStatusCode.OK);
        await SignInProblemAsync(next, "invalid_two_factor_code");
        // Nor can an earlier code that was never used: only codes after the last accepted one count.
        await SignInProblemAsync(new { email = "replayed@shop.example", password = Sessions.Password, two_factor_code = CodeOf(key, stepsAhead: -1) }, "invalid_two_factor_code");
        var failures = await (await owner.GetAsync("/v1/audit?action=user.sign_in_failed")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(failures["data"]!.AsArray(), e => (string?)e!["detail"] == "wrong two-factor code");
        await (await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in",
            new { email = "replayed@shop.example", password = Sessions.Password, two_factor_code = CodeOf(key, stepsAhead: 2) })).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DisableTeammateTwoFactor_AdminMayAgentMayNot()
    {
        var owner = await Sessions.OwnerAsync(_app);
        var lost = await Sessions.JoinAsync(_app, owner, "lost-phone@shop.example", "agent");
        var lostId = await Sessions.UserIdAsync(lost);
        await EnableAsync(lost);
        var colleague = await Sessions.JoinAsync(_app, owner, "colleague@shop.example", "agent");

        await (await colleague.DeleteAsync($"/v1/users/{lostId}/two-factor")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await owner.DeleteAsync("/v1/users/usr_nobody/two-factor")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await SignInProblemAsync(new { email = "lost-phone@shop.example", password = Sessions.Password }, "two_factor_required");

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/v1/users/{lostId}/two-factor")).StatusCode);
        await Sessions.SignInAsync(_app, "lost-phone@shop.example");
        var audit = await (await owner.GetAsync("/v1/audit?action=user.two_factor_disabled")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit["data"]!.AsArray(), e => (string?)e!["target_id"] == lostId && (string?)e["detail"] == "by a teammate");
    }

    [Fact]
    public async Task TwoFactor_WithApiKeyOrWithoutSession_Refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Sessions.Browser(_app).GetAsync("/v1/auth/two-factor")).StatusCode);
        var withKey = await _app.Client().PostAsync("/v1/auth/two-factor/authenticator", null);
        Assert.True(withKey.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"got {withKey.StatusCode}");
    }

    private static async Task<string> EnableAsync(HttpClient client)
    {
        var setup = await (await client.PostAsync("/v1/auth/two-factor/authenticator", null)).JsonAsync(HttpStatusCode.OK);
        var key = (string)setup["shared_key"]!;
        await (await client.PostJsonAsync("/v1/auth/two-factor/enable", new { code = CodeOf(key) })).JsonAsync(HttpStatusCode.OK);
        return key;
    }

    /// <summary>
    /// What an authenticator app shows for the key the server handed out (RFC 6238, 30-second steps, 6 digits), now or
    /// some steps ahead: a code is accepted once, so each sign-in after the first takes a later step's code (the server
    /// accepts two steps either side of its clock).
    /// </summary>
    private static string CodeOf(string sharedKey, int stepsAhead = 0) =>
        new Totp(Base32Encoding.ToBytes(sharedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()))
            .ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));

    private async Task SignInProblemAsync(object body, string code)
    {
        var response = await Sessions.Browser(_app).PostJsonAsync("/v1/auth/sign-in", body);
        await response.ProblemAsync(code == "account_locked" ? HttpStatusCode.TooManyRequests : HttpStatusCode.Unauthorized, code);
    }
}
