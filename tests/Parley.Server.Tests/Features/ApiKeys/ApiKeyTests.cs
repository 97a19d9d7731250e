using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.ApiKeys;

public sealed class ApiKeyTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Create_SecretKey_ShownOnceAndWorks()
    {
        var owner = app.Client();
        var created = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "CRM sync" })).JsonAsync(HttpStatusCode.Created);
        var secret = (string)created["secret"]!;
        Assert.StartsWith("sk_", secret, StringComparison.Ordinal);
        Assert.Equal(secret[..11], (string?)created["prefix"]);

        var list = await (await owner.GetAsync("/v1/api-keys?limit=100")).JsonAsync(HttpStatusCode.OK);
        var listed = list["data"]!.AsArray().Single(k => (string?)k!["id"] == created.Id());
        Assert.Null(listed!["secret"]);
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);

        (await app.Client(secret).GetAsync("/v1/bots")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Revoke_Key_NextRequest401InvalidApiKey()
    {
        var owner = app.Client();
        var created = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "temp" })).JsonAsync(HttpStatusCode.Created);
        var client = app.Client((string)created["secret"]!);
        (await client.GetAsync("/v1/bots")).EnsureSuccessStatusCode();

        var revoked = await (await owner.DeleteAsync($"/v1/api-keys/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.NotNull(revoked["revoked_at"]);

        await (await client.GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Request_NoKey_401MissingApiKey() =>
        await (await app.Client(null).GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");

    [Theory]
    [InlineData("sk_doesnotexist00000000000000000000")]
    [InlineData("nonsense")]
    [InlineData("wst_forged-session-token")]
    public async Task Request_UnknownKey_401InvalidApiKey(string key) =>
        await (await app.Client(key).GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");

    [Fact]
    public async Task ScopedKey_WithoutScope_403SaysWhichScope()
    {
        var created = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "reader", scopes = new[] { "bots:read" } }))
            .JsonAsync(HttpStatusCode.Created);
        var reader = app.Client((string)created["secret"]!);

        (await reader.GetAsync("/v1/bots")).EnsureSuccessStatusCode();
        var problem = await (await reader.PostJsonAsync("/v1/bots", new { name = "x" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("bots:write", (string?)problem["detail"], StringComparison.Ordinal);
        await (await reader.GetAsync("/v1/events")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ScopedKey_CreatingBroaderKey_403AndNothingWritten()
    {
        var created = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "keys", scopes = new[] { "api_keys:write", "api_keys:read" } }))
            .JsonAsync(HttpStatusCode.Created);
        var limited = app.Client((string)created["secret"]!);
        var before = await app.RowCountsAsync();

        await (await limited.PostJsonAsync("/v1/api-keys", new { name = "escalate" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await limited.PostJsonAsync("/v1/api-keys", new { name = "escalate", scopes = new[] { "bots:write" } })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, await app.RowCountsAsync());

        (await limited.PostJsonAsync("/v1/api-keys", new { name = "narrower", scopes = new[] { "api_keys:read" } })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task ScopedKey_RevokingBroaderKey_403()
    {
        var owner = app.Client();
        var limited = app.Client((string)(await (await owner.PostJsonAsync("/v1/api-keys", new { name = "limited", scopes = new[] { "api_keys:write" } }))
            .JsonAsync(HttpStatusCode.Created))["secret"]!);
        var broadId = (await (await owner.PostJsonAsync("/v1/api-keys", new { name = "broad" })).JsonAsync(HttpStatusCode.Created)).Id();

        await (await limited.DeleteAsync($"/v1/api-keys/{broadId}")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var list = await (await owner.GetAsync("/v1/api-keys?limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.Null(list["data"]!.AsArray().Single(k => (string?)k!["id"] == broadId)!["revoked_at"]);
    }

    [Fact]
    public async Task Create_InvalidFields_400WithEveryFieldAndNothingWritten()
    {
        var before = await app.RowCountsAsync();
        var problem = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "", scopes = new[] { "everything" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(problem["errors"]!["name"]);
        Assert.NotNull(problem["errors"]!["scopes"]);

        var publishable = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "widget", kind = "publishable", allowed_origins = new[] { "not an origin" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(publishable["errors"]!["allowed_origins"]);
        Assert.NotNull(publishable["errors"]!["bot_id"]);

        await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "x", kind = "master" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Create_PublishableKey_BoundToBotAndNormalisedOrigins()
    {
        var owner = app.Client();
        var botId = await owner.CreateBotAsync();
        var created = await (await owner.PostJsonAsync("/v1/api-keys", new
        {
            name = "site",
            kind = "publishable",
            bot_id = botId,
            allowed_origins = new[] { "https://Shop.Example:443/", "http://localhost:3000" },
        })).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("publishable", (string?)created["kind"]);
        Assert.StartsWith("pk_", (string?)created["publishable_key"], StringComparison.Ordinal);
        Assert.Null(created["secret"]);
        Assert.Equal(["https://shop.example", "http://localhost:3000"], created["allowed_origins"]!.AsArray().Select(o => (string)o!));
    }

    [Fact]
    public async Task Usage_LastUsedAt_WrittenInBatches()
    {
        var created = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "tracked" })).JsonAsync(HttpStatusCode.Created);
        Assert.Null(created["last_used_at"]);
        (await app.Client((string)created["secret"]!).GetAsync("/v1/bots")).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? lastUsed = null;
        while (lastUsed is null && DateTime.UtcNow < deadline)
        {
            var list = await (await app.Client().GetAsync("/v1/api-keys?limit=100")).JsonAsync(HttpStatusCode.OK);
            lastUsed = (string?)list["data"]!.AsArray().Single(k => (string?)k!["id"] == created.Id())!["last_used_at"];
            await Task.Delay(50);
        }
        Assert.NotNull(lastUsed);
    }
}
