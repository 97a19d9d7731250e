using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.ModelProviders;

public sealed class ModelProviderApiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Create_WithApiKey_KeyNeverReturnedOnlyHint()
    {
        var client = app.Client();
        var created = await (await client.PostJsonAsync("/v1/model-providers", new
        {
            name = "OpenAI", kind = "openai", base_url = "https://api.openai.com/v1", api_key = "sk-secret-abcd1234", default_model = "gpt-4o-mini",
        })).JsonAsync(HttpStatusCode.Created);

        Assert.StartsWith("mp_", created.Id(), StringComparison.Ordinal);
        Assert.Equal("openai", (string?)created["kind"]);
        Assert.True((bool)created["has_api_key"]!);
        Assert.Equal("…1234", (string?)created["api_key_hint"]);
        Assert.Null(created["api_key"]);
        Assert.DoesNotContain("sk-secret", created.ToJsonString(), StringComparison.Ordinal);

        var read = await (await client.GetAsync($"/v1/model-providers/{created.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("sk-secret", read.ToJsonString(), StringComparison.Ordinal);
        var stored = await app.DbAsync(db => Task.FromResult(db.ModelProviders.IgnoreQueryFilters().Single(p => p.Id == created.Id()).ApiKeyProtected));
        Assert.NotNull(stored);
        Assert.DoesNotContain("sk-secret", stored, StringComparison.Ordinal);

        var list = await (await client.GetAsync("/v1/model-providers")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(list["data"]!.AsArray(), p => p!.Id() == created.Id());
    }

    [Fact]
    public async Task Update_NameKeyAndModel_AppliedAndEmptyClears()
    {
        var client = app.Client();
        var id = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "Claude", kind = "anthropic", api_key = "key-0000" }))
            .JsonAsync(HttpStatusCode.Created)).Id();

        var updated = await (await client.PatchJsonAsync($"/v1/model-providers/{id}", new { name = "Claude (prod)", api_key = "key-9876", default_model = "claude-sonnet-4-5" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Claude (prod)", (string?)updated["name"]);
        Assert.Equal("…9876", (string?)updated["api_key_hint"]);
        Assert.Equal("claude-sonnet-4-5", (string?)updated["default_model"]);

        var cleared = await (await client.PatchJsonAsync($"/v1/model-providers/{id}", new { api_key = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.False((bool)cleared["has_api_key"]!);
        Assert.Null((string?)cleared["api_key_hint"]);
        Assert.Equal("Claude (prod)", (string?)cleared["name"]);
    }

    [Fact]
    public async Task Create_BadKindAndUrl_400AndNothingStored()
    {
        var client = app.Client();
        var before = await app.DbAsync(db => Task.FromResult(db.ModelProviders.IgnoreQueryFilters().Count()));

        var problem = await (await client.PostJsonAsync("/v1/model-providers", new { name = "", kind = "gemini", base_url = "ftp://x" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name"));
        Assert.True(errors.ContainsKey("kind"));
        Assert.True(errors.ContainsKey("base_url"));
        Assert.Equal(before, await app.DbAsync(db => Task.FromResult(db.ModelProviders.IgnoreQueryFilters().Count())));
    }

    [Fact]
    public async Task Create_PrivateBaseUrlWhenNotAllowed_400()
    {
        var problem = await (await app.Client().PostJsonAsync("/v1/model-providers", new { name = "Local", kind = "openai", base_url = "http://127.0.0.1:11434/v1" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("private", (string?)problem["errors"]!["base_url"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BotModelProvider_UnknownId_422AndBotUnchanged()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();

        var problem = await (await client.PatchJsonAsync($"/v1/bots/{bot}", new { model = new { provider = "mp_doesnotexist" } }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_request");
        Assert.True(problem["errors"]!.AsObject().ContainsKey("model.provider"));
        await (await client.PostJsonAsync("/v1/bots", new { name = "x", model = new { provider = "builtin", fallback_provider = "mp_nope" } }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_request");

        var read = await (await client.GetAsync($"/v1/bots/{bot}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("builtin", (string?)read["model"]!["provider"]);
    }

    [Fact]
    public async Task Delete_InUseByBot_409ThenDeletableWhenFree()
    {
        var client = app.Client();
        var id = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "Used", kind = "openai" })).JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Uses it", model = new { provider = id, name = "gpt-4o-mini", fallback_provider = id } }))
            .JsonAsync(HttpStatusCode.Created)).Id();

        await (await client.DeleteAsync($"/v1/model-providers/{id}")).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new { model = new { provider = "builtin", fallback_provider = "" } })).JsonAsync(HttpStatusCode.OK);
        await (await client.DeleteAsync($"/v1/model-providers/{id}")).JsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/v1/model-providers/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ModelProviders_KeyWithoutScope_403()
    {
        var owner = app.Client();
        var key = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "bots only", scopes = new[] { "bots:read" } }))
            .JsonAsync(HttpStatusCode.Created);
        var narrow = app.Client((string)key["secret"]!);
        await (await narrow.GetAsync("/v1/model-providers")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await narrow.PostJsonAsync("/v1/model-providers", new { name = "x", kind = "openai" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Get_OtherWorkspace_404()
    {
        var id = (await (await app.Client().PostJsonAsync("/v1/model-providers", new { name = "Mine", kind = "openai" })).JsonAsync(HttpStatusCode.Created)).Id();
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        await (await app.Client(otherKey).GetAsync($"/v1/model-providers/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
