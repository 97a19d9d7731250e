using System.Globalization;
using Parley.Client;
using Parley.Client.Models;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract;

/// <summary>The typed client against the real server: what it sends is accepted and what it reads is filled in.</summary>
public sealed class ClientRoundTripTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task CreateBot_WithTemplate_ReadBackThroughClient()
    {
        var client = new ParleyClient(app.Client());
        var bot = await client.CreateBotAsync(new CreateBotRequest("Shop helper", Greeting: "Hi!", Template: "faq_lead_capture",
            Theme: new BotThemeDto(PrimaryColor: "#112233")));
        Assert.StartsWith("bot_", bot.Id, StringComparison.Ordinal);

        var read = await client.GetBotAsync(bot.Id);
        Assert.Equal("Shop helper", read.Name);
        Assert.Equal("#112233", read.Theme.PrimaryColor);
        Assert.Contains(bot.Id, (await client.ListBotsAsync(limit: 100)).Data.Select(b => b.Id));

        var source = await client.AddKnowledgeAsync(bot.Id, new AddKnowledgeSourceRequest("text", "Hours", "We open at nine on weekdays."));
        Assert.Equal("ready", source.Status);
        var found = await client.SearchKnowledgeAsync(bot.Id, new SearchKnowledgeRequest("when do you open"));
        Assert.Contains(found.Data, p => p.SourceId == source.Id);
    }

    [Fact]
    public async Task CreateBot_Invalid_ThrowsWithFieldErrors()
    {
        var client = new ParleyClient(app.Client());
        var error = await Assert.ThrowsAsync<ParleyApiException>(() => client.CreateBotAsync(new CreateBotRequest("")));
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request", error.Code);
        Assert.NotEmpty(error.ErrorsFor("name"));
    }

    [Fact]
    public async Task CreateApiKey_Publishable_KindRoundTrips()
    {
        var client = new ParleyClient(app.Client());
        var bot = await client.CreateBotAsync(new CreateBotRequest("Widget bot"));
        var key = await client.CreateApiKeyAsync(new CreateApiKeyRequest("Site", ApiKeyKind.Publishable, AllowedOrigins: ["https://shop.example"], BotId: bot.Id));
        Assert.Equal(ApiKeyKind.Publishable, key.Kind);
        Assert.StartsWith("pk_", key.PublishableKey, StringComparison.Ordinal);
        Assert.Null(key.Secret);
    }

    [Fact]
    public void Paths_OnlyFiltersWithAValue_EscapedAndInUtc()
    {
        var time = new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(1));

        Assert.Equal("/v1/leads/export.csv", ParleyClient.LeadsCsvPath());
        Assert.Equal("/v1/leads/export.csv?status=new&min_score=40&created_after=2026-11-30T23%3A30%3A00Z&email=a%2Bb%40shop.example",
            ParleyClient.LeadsCsvPath(new LeadFilter(Status: "new", MinScore: 40, CreatedAfter: time, Email: "a+b@shop.example")));
        Assert.Equal("/v1/export/conversations.csv?bot_id=bot_1&until=2026-11-30T23%3A30%3A00Z&has_lead=true&q=acme%20inc",
            ParleyClient.ConversationExportPath(new ConversationQuery(BotId: "bot_1", Status: "", CreatedBefore: time, HasLead: true, Text: " acme inc "), "csv"));
    }

    [Fact]
    public async Task ListFilters_WithTimes_TheServerReadsThem()
    {
        var http = app.Client();
        var botId = await http.CreateBotAsync();
        var conversation = (await http.StartConversationAsync(botId))["conversation"]!;
        var created = DateTimeOffset.Parse((string)conversation["created_at"]!, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(2));
        var client = new ParleyClient(http);

        var after = await client.FilterConversationsAsync(new ConversationQuery(BotId: botId, CreatedAfter: created.AddSeconds(-1)), limit: 10);
        var before = await client.FilterConversationsAsync(new ConversationQuery(BotId: botId, CreatedBefore: created.AddSeconds(-1)), limit: 10);

        Assert.Equal([conversation.Id()], after.Data.Select(c => c.Id));
        Assert.Empty(before.Data);
        Assert.Empty((await client.ListBookingsAsync(botId, startAfter: created, startBefore: created.AddDays(1))).Data);
        Assert.Empty((await client.ListLeadsAsync(new LeadFilter(BotId: botId, MinScore: 10, CreatedAfter: created))).Data);
        Assert.Equal(botId, (await client.GetAnalyticsLatencyAsync(new AnalyticsRange(BotId: botId), "week")).BotId);
    }

    [Fact]
    public async Task ExportAndEraseContact_ThroughClient_ExportShowsTheErasedState()
    {
        var http = app.Client();
        var botId = await http.CreateBotAsync();
        var started = await http.StartConversationAsync(botId, new { name = "Pat Client", email = "pat.client@example.com" });
        var contactId = started["conversation"]!.Id("contact_id");
        var client = new ParleyClient(http);

        var before = await client.ExportContactAsync(contactId);
        var erased = await client.EraseContactAsync(contactId);
        var after = await client.ExportContactAsync(contactId);

        Assert.Equal("pat.client@example.com", before.GetProperty("contact").GetProperty("email").GetString());
        Assert.Equal(contactId, erased.Id);
        Assert.True(erased.Erased);
        Assert.False(after.GetProperty("contact").TryGetProperty("email", out _));
        Assert.True((await client.GetContactAsync(contactId)) is { Name: null, Email: null, PiiHidden: false });
        Assert.Equal($"/v1/contacts/{contactId}/export", ParleyClient.ContactExportPath(contactId));
    }

    [Fact]
    public async Task ListInbox_AssignedAndAssignedTo_FilteredByTheServer()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var http = app.Client(key);
        var client = new ParleyClient(http);
        var botId = await http.CreateBotAsync();
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var conversationId = (await http.StartConversationAsync(botId))["conversation"]!.Id();
            (await http.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).EnsureSuccessStatusCode();
            ids.Add(conversationId);
        }
        await client.ClaimConversationAsync(ids[0]);

        Assert.Equal([ids[0]], (await client.ListInboxAsync(assigned: true)).Data.Select(i => i.Conversation.Id));
        Assert.Equal([ids[1]], (await client.ListInboxAsync(assigned: false)).Data.Select(i => i.Conversation.Id));
        Assert.Equal([ids[1]], (await client.ListInboxAsync("unassigned")).Data.Select(i => i.Conversation.Id));
        Assert.Equal([ids[0]], (await client.ListInboxAsync("me", assigned: true)).Data.Select(i => i.Conversation.Id));
        Assert.Empty((await client.ListInboxAsync("unassigned", assigned: true)).Data);
        Assert.Equal(ids, (await client.ListInboxAsync(limit: 10)).Data.Select(i => i.Conversation.Id));
    }
}
