using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Bots;

public sealed class BotTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Crud_CreateReadUpdateDelete()
    {
        var client = app.Client();
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "OpenAI", kind = "openai" })).JsonAsync(HttpStatusCode.Created)).Id();
        var created = await (await client.PostJsonAsync("/v1/bots", new
        {
            name = "Clinic",
            instructions = "Be kind.",
            greeting = "Hello!",
            model = new { provider, name = "gpt-4o-mini", temperature = 0.3, max_tokens = 400 },
            theme = new { primary_color = "#112233", position = "left", launcher_text = "Ask us" },
            business_hours = new { timezone = "Europe/Lisbon" },
        })).JsonAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.Equal(provider, (string?)created["model"]!["provider"]);
        Assert.Equal("Europe/Lisbon", (string?)created["business_hours"]!["timezone"]);
        Assert.NotNull(created["fallback_text"]);

        var updated = await (await client.PatchJsonAsync($"/v1/bots/{id}", new { greeting = "", theme = new { primary_color = "#445566" } }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Null(updated["greeting"]);
        Assert.Equal("Be kind.", (string?)updated["instructions"]);
        Assert.Equal("#445566", (string?)updated["theme"]!["primary_color"]);
        Assert.Equal("left", (string?)updated["theme"]!["position"]);

        var read = await (await client.GetAsync($"/v1/bots/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(updated.ToJsonString(), read.ToJsonString());

        await (await client.DeleteAsync($"/v1/bots/{id}")).JsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/v1/bots/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Update_Invalid_400AndUnchanged()
    {
        var client = app.Client();
        var id = await client.CreateBotAsync("Steady");
        await (await client.PatchJsonAsync($"/v1/bots/{id}", new { name = "  ", model = new { temperature = 9 } })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var read = await (await client.GetAsync($"/v1/bots/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Steady", (string?)read["name"]);
        Assert.Null(read["model"]!["temperature"]);
    }

    [Fact]
    public async Task Delete_RevokesItsPublishableKeys()
    {
        var client = app.Client();
        var id = await client.CreateBotAsync();
        var pk = (string)(await (await client.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = id, allowed_origins = new[] { "https://a.example" } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        (await client.DeleteAsync($"/v1/bots/{id}")).EnsureSuccessStatusCode();

        var browser = app.Client(pk);
        browser.DefaultRequestHeaders.Add("Origin", "https://a.example");
        await (await browser.PostJsonAsync("/v1/widget/sessions", new { })).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task List_PagesNewestFirst()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.CreateBotAsync($"bot {i}"));
        }
        var page1 = await (await client.GetAsync("/v1/bots?limit=2")).JsonAsync(HttpStatusCode.OK);
        var page2 = await (await client.GetAsync($"/v1/bots?limit=2&after={page1["next_cursor"]}")).JsonAsync(HttpStatusCode.OK);
        var page3 = await (await client.GetAsync($"/v1/bots?limit=2&after={page2["next_cursor"]}")).JsonAsync(HttpStatusCode.OK);
        var seen = new[] { page1, page2, page3 }.SelectMany(p => p["data"]!.AsArray()).Select(b => (string)b!["id"]!).ToList();
        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.False((bool)page3["has_more"]!);
        Assert.Null(page3["next_cursor"]);
    }
}
