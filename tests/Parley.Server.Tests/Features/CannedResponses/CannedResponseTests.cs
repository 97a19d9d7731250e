using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.CannedResponses;

/// <summary>Canned responses: admins keep them, agents read them, bad input changes nothing.</summary>
public sealed class CannedResponseTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task CannedResponse_CreateListFilterUpdateDelete()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Canned");
        var admin = app.Client(key);

        var hours = await (await admin.PostJsonAsync("/v1/canned-responses", new { shortcut = " Hours ", text = "We are open 9–17, Monday to Friday." }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("cr_", hours.Id(), StringComparison.Ordinal);
        Assert.Equal("hours", (string?)hours["shortcut"]);
        var refund = await (await admin.PostJsonAsync("/v1/canned-responses", new { shortcut = "refund-policy", text = "Refunds within 30 days." }))
            .JsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/v1/canned-responses", new { shortcut = "hello", text = "Hello! How can I help?" })).JsonAsync(HttpStatusCode.Created);

        var all = await (await admin.GetAsync("/v1/canned-responses")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["hello", "refund-policy", "hours"], all["data"]!.AsArray().Select(r => (string)r!["shortcut"]!));
        var typed = await (await admin.GetAsync("/v1/canned-responses?prefix=h")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["hello", "hours"], typed["data"]!.AsArray().Select(r => (string)r!["shortcut"]!));

        var changed = await (await admin.PatchJsonAsync($"/v1/canned-responses/{hours.Id()}", new { text = "We are open 8 to 18." })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("hours", (string?)changed["shortcut"]);
        Assert.Equal("We are open 8 to 18.", (string?)changed["text"]);
        Assert.Equal("We are open 8 to 18.", (string?)(await (await admin.GetAsync($"/v1/canned-responses/{hours.Id()}")).JsonAsync(HttpStatusCode.OK))["text"]);

        await (await admin.DeleteAsync($"/v1/canned-responses/{refund.Id()}")).JsonAsync(HttpStatusCode.OK);
        await (await admin.GetAsync($"/v1/canned-responses/{refund.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        // Settings travel with the export.
        var exported = await admin.GetStringAsync("/v1/export/canned_responses.ndjson");
        Assert.Contains("We are open 8 to 18.", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("Refunds within 30 days.", exported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CannedResponse_BadInputDuplicateOrAgent_RejectedAndNothingChanged()
    {
        var owner = await Sessions.OwnerAsync(app);
        var agent = await Sessions.JoinAsync(app, owner, "andy@shop.example", "agent");
        var viewer = await Sessions.JoinAsync(app, owner, "vic@shop.example", "viewer");
        var existing = await (await owner.PostJsonAsync("/v1/canned-responses", new { shortcut = "thanks", text = "Thank you for waiting." }))
            .JsonAsync(HttpStatusCode.Created);
        var before = await CountAsync();

        await (await owner.PostJsonAsync("/v1/canned-responses", new { })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync("/v1/canned-responses", new { shortcut = "with space", text = "x" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync("/v1/canned-responses", new { shortcut = "/slash", text = "x" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync("/v1/canned-responses", new { shortcut = new string('a', 41), text = "x" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync("/v1/canned-responses", new { shortcut = "long", text = new string('x', 4001) })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync("/v1/canned-responses", new { shortcut = "blank", text = "  " })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PostJsonAsync("/v1/canned-responses", new { shortcut = "THANKS", text = "Again" })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await agent.PostJsonAsync("/v1/canned-responses", new { shortcut = "mine", text = "An agent's own" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await agent.PatchJsonAsync($"/v1/canned-responses/{existing.Id()}", new { text = "Changed by an agent" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await agent.DeleteAsync($"/v1/canned-responses/{existing.Id()}")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.GetAsync("/v1/canned-responses")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await owner.PatchJsonAsync($"/v1/canned-responses/{existing.Id()}", new { shortcut = "no way" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await owner.PatchJsonAsync("/v1/canned-responses/cr_doesnotexist", new { text = "x" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        await (await app.Client(otherKey).GetAsync($"/v1/canned-responses/{existing.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await app.Client(otherKey).DeleteAsync($"/v1/canned-responses/{existing.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Equal(before, await CountAsync());
        var kept = await (await agent.GetAsync($"/v1/canned-responses/{existing.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Thank you for waiting.", (string?)kept["text"]);
        Assert.Equal("thanks", (string?)kept["shortcut"]);
    }

    private Task<int> CountAsync() => app.DbAsync(db => db.CannedResponses.IgnoreQueryFilters().CountAsync());
}
