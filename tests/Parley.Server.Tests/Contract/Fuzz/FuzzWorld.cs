using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>The kinds of resource a path parameter names.</summary>
internal enum ResourceKind
{
    ApiKey, Bot, FlowVersion, KnowledgeSource, ModelProvider, Conversation, Contact, Lead, Booking, Export, Import,
    WebhookEndpoint, WebhookDelivery,
}

/// <summary>
/// Two workspaces with one resource of every kind each, made through the API, and the credentials the fuzz suite sends:
/// ids of this workspace, ids of the other one, and keys that are missing, revoked, publishable or narrowly scoped.
/// </summary>
internal sealed class FuzzWorld
{
    public const string Origin = "https://shop.example";

    private FuzzWorld(ParleyApp app) => App = app;

    public ParleyApp App { get; }

    /// <summary>Resources of the workspace the requests act in (the seeded owner key's).</summary>
    public Dictionary<ResourceKind, string> Own { get; } = [];

    /// <summary>The same kinds of resource in a second workspace: never visible to the first one's keys.</summary>
    public Dictionary<ResourceKind, string> Other { get; } = [];

    public string OtherWorkspaceKey { get; private set; } = "";
    public string RevokedKey { get; private set; } = "";
    public string ReadOnlyKey { get; private set; } = "";
    public string PublishableKey { get; private set; } = "";
    public string SessionToken { get; private set; } = "";

    /// <summary>A bookable slot of the bots' calendars (every hour of every day, UTC), as a timestamp.</summary>
    public string Slot { get; } = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(11).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<FuzzWorld> CreateAsync(ParleyApp app)
    {
        var world = new FuzzWorld(app);
        var (_, otherKey) = await app.CreateWorkspaceAsync("Other workspace");
        world.OtherWorkspaceKey = otherKey;
        await world.FillAsync(app.Client(), world.Own);
        await world.FillAsync(app.Client(otherKey), world.Other);

        var owner = app.Client();
        world.RevokedKey = (string)(await CreateKeyAsync(owner, new { name = "revoked" }))["secret"]!;
        var revokedId = (await KeysAsync(owner)).Last(k => (string?)k?["name"] == "revoked")!.Id();
        await (await owner.DeleteAsync($"/v1/api-keys/{revokedId}")).JsonAsync(HttpStatusCode.OK);
        world.ReadOnlyKey = (string)(await CreateKeyAsync(owner, new { name = "read only", scopes = new[] { "bots:read" } }))["secret"]!;
        var publishable = await CreateKeyAsync(owner, new { name = "site", kind = "publishable", bot_id = world.Own[ResourceKind.Bot], allowed_origins = new[] { Origin } });
        world.PublishableKey = (string)publishable["publishable_key"]!;
        var widget = world.Widget();
        world.SessionToken = (string)(await (await widget.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK))["session_token"]!;
        return world;
    }

    /// <summary>A client that calls as the widget does: the publishable key, from its allowed origin.</summary>
    public HttpClient Widget()
    {
        var client = App.Client(PublishableKey);
        client.DefaultRequestHeaders.Add("Origin", Origin);
        return client;
    }

    /// <summary>A new resource of this workspace, for a request that may delete it; null for kinds made only once.</summary>
    public async Task<string?> CreateAsync(ResourceKind kind)
    {
        var owner = App.Client();
        var bot = Own[ResourceKind.Bot];
        return kind switch
        {
            ResourceKind.Bot => await owner.CreateBotAsync("Fresh"),
            ResourceKind.ApiKey => (await CreateKeyAsync(owner, new { name = "fresh" })).Id(),
            ResourceKind.ModelProvider => await CreatedIdAsync(owner, "/v1/model-providers", new { name = "Fresh", kind = "openai", base_url = "https://models.example/v1" }),
            ResourceKind.KnowledgeSource => await CreatedIdAsync(owner, $"/v1/bots/{bot}/knowledge", new { type = "text", title = "Fresh", content = "Opening hours are nine to five." }),
            ResourceKind.WebhookEndpoint => await CreatedIdAsync(owner, "/v1/webhook-endpoints", new { url = "https://hooks.example/fresh", events = new[] { "lead.captured" } }),
            ResourceKind.Contact => (await owner.StartConversationAsync(bot, new { name = "Fresh", email = $"fresh{Guid.NewGuid():N}@example.com" }))["conversation"]!.Id("contact_id"),
            ResourceKind.Lead => await CreatedIdAsync(owner, "/v1/leads", new { conversation_id = Own[ResourceKind.Conversation], fields = new { name = "Fresh", email = $"lead{Guid.NewGuid():N}@example.com" } }),
            _ => null,
        };
    }

    private async Task FillAsync(HttpClient client, Dictionary<ResourceKind, string> ids)
    {
        var bot = await CreatedIdAsync(client, "/v1/bots", new { name = "Fuzz", greeting = "Hello!", template = "faq_lead_capture" });
        ids[ResourceKind.Bot] = bot;
        ids[ResourceKind.FlowVersion] = "1";
        var everyDay = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .ToDictionary(d => d, _ => new[] { new { start = "00:00", end = "23:00" } });
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new
        {
            booking = new { time_zone = "UTC", weekly_hours = everyDay, slot_minutes = 60, minimum_notice_minutes = 0, horizon_days = 30, capacity = 5 },
        })).JsonAsync(HttpStatusCode.OK);
        ids[ResourceKind.KnowledgeSource] = await CreatedIdAsync(client, $"/v1/bots/{bot}/knowledge",
            new { type = "text", title = "Hours", content = "We open at nine and close at five, Monday to Friday." });
        ids[ResourceKind.ModelProvider] = await CreatedIdAsync(client, "/v1/model-providers", new { name = "Models", kind = "openai", base_url = "https://models.example/v1" });
        ids[ResourceKind.WebhookEndpoint] = await CreatedIdAsync(client, "/v1/webhook-endpoints", new { url = "https://hooks.example/parley", events = new[] { "*" } });
        var started = await client.StartConversationAsync(bot, new { name = "Ada", email = "ada@example.com" }, new { page_url = "https://shop.example/pricing" });
        var conversation = started["conversation"]!;
        ids[ResourceKind.Conversation] = conversation.Id();
        ids[ResourceKind.Contact] = conversation.Id("contact_id");
        await client.SendAsync(conversation.Id(), "Do you deliver on Sundays?");
        ids[ResourceKind.Lead] = await CreatedIdAsync(client, "/v1/leads", new { conversation_id = conversation.Id(), fields = new { name = "Ada", email = "ada@example.com" } });
        var slot = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(10);
        ids[ResourceKind.Booking] = await CreatedIdAsync(client, "/v1/bookings", new { bot_id = bot, start = slot, name = "Ada", email = "ada@example.com" });
        var export = await client.PostJsonAsync("/v1/exports", new { });
        ids[ResourceKind.Export] = (await export.JsonAsync(HttpStatusCode.Accepted)).Id();
        ids[ResourceKind.ApiKey] = (await CreateKeyAsync(client, new { name = "spare" })).Id();
        var workspaceOf = (string)(await (await client.GetAsync("/v1/workspace")).JsonAsync(HttpStatusCode.OK))["id"]!;
        ids[ResourceKind.WebhookDelivery] = await App.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters()
            .Where(d => d.WorkspaceId == workspaceOf).Select(d => d.Id).FirstAsync());
        // An import needs an export archive; its id is made up in the same shape as the others, so it reaches a lookup.
        ids[ResourceKind.Import] = "imp_" + ids[ResourceKind.Export][(ids[ResourceKind.Export].IndexOf('_', StringComparison.Ordinal) + 1)..];
    }

    private static async Task<JsonNode> CreateKeyAsync(HttpClient owner, object body) =>
        await (await owner.PostJsonAsync("/v1/api-keys", body)).JsonAsync(HttpStatusCode.Created);

    private static async Task<JsonArray> KeysAsync(HttpClient owner) =>
        (await (await owner.GetAsync("/v1/api-keys?limit=100")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();

    private static async Task<string> CreatedIdAsync(HttpClient client, string path, object body) =>
        (await (await client.PostJsonAsync(path, body)).JsonAsync(HttpStatusCode.Created)).Id();

    /// <summary>The kind of resource a path parameter names, from the parameter and the collection it follows.</summary>
    public static ResourceKind? KindOf(string path, string parameter) => parameter switch
    {
        "sourceId" => ResourceKind.KnowledgeSource,
        "version" => ResourceKind.FlowVersion,
        "id" => path.Split('/')[2] switch
        {
            "api-keys" => ResourceKind.ApiKey,
            "bots" => ResourceKind.Bot,
            "model-providers" => ResourceKind.ModelProvider,
            "conversations" => ResourceKind.Conversation,
            "contacts" => ResourceKind.Contact,
            "leads" => ResourceKind.Lead,
            "bookings" => ResourceKind.Booking,
            "exports" => ResourceKind.Export,
            "imports" => ResourceKind.Import,
            "webhook-endpoints" => ResourceKind.WebhookEndpoint,
            "webhook-deliveries" => ResourceKind.WebhookDelivery,
            _ => null,
        },
        _ => null,
    };
}
