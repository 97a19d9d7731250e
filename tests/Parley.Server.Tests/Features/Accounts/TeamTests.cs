using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Accounts;

public sealed class TeamTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Agent_RaisesOwnRole_403AndRoleUnchanged()
    {
        var owner = await Sessions.OwnerAsync(app);
        var agent = await Sessions.JoinAsync(app, owner, "agent.escalate@shop.example", "agent");
        var agentId = await Sessions.UserIdAsync(agent);

        await (await agent.PatchJsonAsync($"/v1/users/{agentId}", new { role = "owner" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await agent.PostJsonAsync("/v1/invitations", new { email = "friend@shop.example", role = "owner" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await agent.PostJsonAsync("/v1/api-keys", new { name = "mine" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await agent.GetAsync("/v1/api-keys")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var me = await (await agent.GetAsync("/v1/auth/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("agent", (string?)me["user"]!["role"]);
        (await agent.GetAsync("/v1/conversations")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Admin_ChangesOwnerOrGrantsOwner_403()
    {
        var owner = await Sessions.OwnerAsync(app);
        var admin = await Sessions.JoinAsync(app, owner, "admin.limits@shop.example", "admin");
        var ownerId = await Sessions.UserIdAsync(owner);
        var adminId = await Sessions.UserIdAsync(admin);

        await (await admin.PatchJsonAsync($"/v1/users/{ownerId}", new { role = "viewer" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.DeleteAsync($"/v1/users/{ownerId}")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.PatchJsonAsync($"/v1/users/{adminId}", new { role = "owner" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.PostJsonAsync("/v1/invitations", new { email = "boss@shop.example", role = "owner" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await owner.PatchJsonAsync($"/v1/users/{ownerId}", new { role = "admin" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Owner_PromotesAgent_NewScopesApplyAtOnceAndAudited()
    {
        var owner = await Sessions.OwnerAsync(app);
        var agent = await Sessions.JoinAsync(app, owner, "agent.promoted@shop.example", "agent");
        var agentId = await Sessions.UserIdAsync(agent);
        await (await agent.GetAsync("/v1/api-keys")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var updated = await (await owner.PatchJsonAsync($"/v1/users/{agentId}", new { role = "admin" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("admin", (string?)updated["role"]);
        (await agent.GetAsync("/v1/api-keys")).EnsureSuccessStatusCode();

        var audit = await (await owner.GetAsync("/v1/audit?action=user.role_changed")).JsonAsync(HttpStatusCode.OK);
        var entry = audit["data"]!.AsArray().Single(a => (string?)a!["target_id"] == agentId)!;
        Assert.Equal("agent → admin", (string?)entry["detail"]);
        Assert.Equal(await Sessions.UserIdAsync(owner), (string?)entry["actor_id"]);
    }

    [Fact]
    public async Task Remove_User_SessionEndsAtOnce()
    {
        var owner = await Sessions.OwnerAsync(app);
        var viewer = await Sessions.JoinAsync(app, owner, "viewer.removed@shop.example", "viewer");
        var viewerId = await Sessions.UserIdAsync(viewer);
        await (await viewer.PostJsonAsync("/v1/bots", new { name = "nope" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/v1/users/{viewerId}")).StatusCode);
        await (await viewer.GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_session");
        var users = await (await owner.GetAsync("/v1/users")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(viewerId, users["data"]!.AsArray().Select(u => (string?)u!["id"]));
    }

    [Fact]
    public async Task Invitation_Accepted_OnceOnlyAndListed()
    {
        var owner = await Sessions.OwnerAsync(app);
        var invitation = await (await owner.PostJsonAsync("/v1/invitations", new { email = "new.agent@shop.example", role = "agent" })).JsonAsync(HttpStatusCode.Created);
        Assert.False((bool)invitation["emailed"]!);
        Assert.Equal("pending", (string?)invitation["status"]);
        var token = Sessions.TokenOf((string)invitation["url"]!);

        await (await Sessions.Browser(app).PostJsonAsync("/v1/auth/invitations/accept", new { token, password = "short" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await Sessions.Browser(app).PostJsonAsync("/v1/auth/invitations/accept", new { token, password = Sessions.Password, name = "Ana" }))
            .JsonAsync(HttpStatusCode.Created);
        await (await Sessions.Browser(app).PostJsonAsync("/v1/auth/invitations/accept", new { token, password = Sessions.Password }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        var list = await (await owner.GetAsync("/v1/invitations")).JsonAsync(HttpStatusCode.OK);
        var listed = list["data"]!.AsArray().Single(i => (string?)i!["id"] == invitation.Id())!;
        Assert.Equal("accepted", (string?)listed["status"]);
        Assert.Null(listed["url"]);
        await (await owner.PostJsonAsync("/v1/invitations", new { email = "new.agent@shop.example", role = "agent" })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await owner.PostJsonAsync("/v1/invitations", new { email = "not an email", role = "boss" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task CreateApiKey_FromDashboard_AuditedWithUser()
    {
        var owner = await Sessions.OwnerAsync(app);
        var key = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "From the dashboard" })).JsonAsync(HttpStatusCode.Created);
        var audit = await (await app.Client().GetAsync("/v1/audit?action=api_key.created")).JsonAsync(HttpStatusCode.OK);
        var entry = audit["data"]!.AsArray().Single(a => (string?)a!["target_id"] == key.Id())!;
        Assert.Equal(await Sessions.UserIdAsync(owner), (string?)entry["actor_id"]);
    }
}
