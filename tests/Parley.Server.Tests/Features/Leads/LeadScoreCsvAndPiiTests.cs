using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Leads;

/// <summary>What the dashboard's leads page reads besides the list: the score's rules, the CSV download, PII by role.</summary>
public sealed class LeadScoreCsvAndPiiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Client, string BotId, string ConversationId)> ConversationAsync()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var bot = await client.CreateBotAsync();
        var started = await client.StartConversationAsync(bot,
            metadata: new { page_url = "https://shop.example/pricing", utm = new { source = "newsletter" } });
        var conversationId = started["conversation"]!.Id();
        await client.SendAsync(conversationId, "Hi, what does the pricing look like? I want to book a demo.");
        return (client, bot, conversationId);
    }

    private static async Task<JsonNode> LeadAsync(HttpClient client, string conversationId, object fields) =>
        await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields })).JsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task GetLeadScore_NamesEachRuleAndSumsToTheStoredScore()
    {
        var (client, _, conversationId) = await ConversationAsync();
        var lead = await LeadAsync(client, conversationId, new { name = "Grace", email = "grace@example.com" });

        var score = await (await client.GetAsync($"/v1/leads/{lead.Id()}/score")).JsonAsync(HttpStatusCode.OK);

        var parts = score["parts"]!.AsArray();
        Assert.Equal(["field:name", "field:email", "intent_keywords", "intent_page", "campaign", "engagement"], parts.Select(p => (string)p!["rule"]!));
        Assert.Equal((int)lead["score"]!, (int)score["score"]!);
        Assert.Equal((int)score["score"]!, parts.Sum(p => (int)p!["points"]!));
        Assert.Equal(100, (int)score["maximum"]!);
        Assert.Contains("pricing", (string?)parts.Single(p => (string?)p!["rule"] == "intent_keywords")!["detail"], StringComparison.Ordinal);
        await (await client.GetAsync("/v1/leads/lead_missing/score")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task DownloadLeadsCsv_Filtered_OnlyMatchingRowsNewestFirst()
    {
        var (client, bot, conversationId) = await ConversationAsync();
        var rich = await LeadAsync(client, conversationId, new { name = "Rich, \"R\"", email = "rich@example.com", phone = "+14155550123" });
        var other = (await client.StartConversationAsync(bot))["conversation"]!.Id();
        var poor = await LeadAsync(client, other, new { email = "poor@example.com" });
        await (await client.PatchJsonAsync($"/v1/leads/{poor.Id()}", new { status = "contacted" })).JsonAsync(HttpStatusCode.OK);

        var all = await client.GetAsync($"/v1/leads/export.csv?bot_id={bot}");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/csv", all.Content.Headers.ContentType?.MediaType);
        Assert.Contains("leads.csv", all.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        var lines = (await all.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // The export's lead records, so the same columns as GET /v1/export/leads.csv.
        Assert.Equal("id,bot_id,conversation_id,contact_id,name,email,phone,company,custom,status,score,page_url,referrer,utm,created_at,updated_at", lines[0]);
        Assert.Equal([poor.Id(), rich.Id()], lines[1..].Select(l => l.Split(',')[0]));
        Assert.Contains("\"Rich, \"\"R\"\"\",rich@example.com,+14155550123", lines[2], StringComparison.Ordinal);

        var contacted = (await client.GetStringAsync("/v1/leads/export.csv?status=contacted")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([poor.Id()], contacted[1..].Select(l => l.Split(',')[0]));
        var scored = (await client.GetStringAsync($"/v1/leads/export.csv?min_score={(int)rich["score"]!}")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([rich.Id()], scored[1..].Select(l => l.Split(',')[0]));
    }

    [Theory]
    [InlineData("/v1/leads/export.csv", "status=hot", "status")]
    [InlineData("/v1/leads/export.csv", "min_score=high", "min_score")]
    [InlineData("/v1/leads/export.csv", "created_after=yesterday", "created_after")]
    [InlineData("/v1/leads/export.csv", "created_before=soon", "created_before")]
    [InlineData("/v1/leads", "status=hot", "status")]
    [InlineData("/v1/leads", "min_score=high", "min_score")]
    [InlineData("/v1/leads", "created_after=yesterday", "created_after")]
    [InlineData("/v1/leads", "created_before=soon", "created_before")]
    public async Task ListOrDownloadLeads_BadFilter_400ProblemNamingTheParameter(string path, string query, string field)
    {
        var (client, _, _) = await ConversationAsync();

        var problem = await (await client.GetAsync($"{path}?{query}")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task LeadsAndBookings_KeyWithoutPiiScope_PersonalDataHiddenEverywhere()
    {
        var (client, bot, conversationId) = await ConversationAsync();
        var lead = await LeadAsync(client, conversationId, new { name = "Grace", email = "grace@example.com", company = "Navy", custom = new { budget = "5k" } });
        var narrow = await (await client.PostJsonAsync("/v1/api-keys", new { name = "reader", scopes = new[] { "leads:read", "bookings:read" } }))
            .JsonAsync(HttpStatusCode.Created);
        var reader = app.Client((string)narrow["secret"]!);

        var seen = await (await reader.GetAsync($"/v1/leads/{lead.Id()}")).JsonAsync(HttpStatusCode.OK);
        var listed = (await (await reader.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]![0]!;
        var csv = await reader.GetAsync("/v1/leads/export.csv");

        foreach (var hidden in new[] { seen, listed })
        {
            Assert.True((bool)hidden["pii_hidden"]!);
            Assert.Null(hidden["fields"]!["name"]);
            Assert.Null(hidden["fields"]!["email"]);
            Assert.Null(hidden["fields"]!["custom"]);
            Assert.Equal("Navy", (string?)hidden["fields"]!["company"]);
        }
        Assert.Equal("omitted", csv.Headers.GetValues("X-Parley-Pii").Single());
        var hiddenCsv = await csv.Content.ReadAsStringAsync();
        Assert.Equal("id,bot_id,conversation_id,contact_id,company,status,score,created_at,updated_at", hiddenCsv.Split("\r\n")[0]);
        Assert.DoesNotContain("grace@example.com", hiddenCsv, StringComparison.Ordinal);
        Assert.DoesNotContain("5k", hiddenCsv, StringComparison.Ordinal);
        var owner = await (await client.GetAsync($"/v1/leads/{lead.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.False((bool)owner["pii_hidden"]!);
        Assert.Equal("grace@example.com", (string?)owner["fields"]!["email"]);
        Assert.Contains("grace@example.com", await client.GetStringAsync("/v1/leads/export.csv"), StringComparison.Ordinal);

        var slot = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(10);
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new
        {
            booking = new
            {
                time_zone = "UTC", slot_minutes = 60, minimum_notice_minutes = 0, horizon_days = 30,
                weekly_hours = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
                    .ToDictionary(d => d, _ => new[] { new { start = "00:00", end = "23:00" } }),
            },
        })).JsonAsync(HttpStatusCode.OK);
        var booking = await (await client.PostJsonAsync("/v1/bookings", new { bot_id = bot, start = slot, name = "Ada", email = "ada@example.com", notes = "first visit" }))
            .JsonAsync(HttpStatusCode.Created);
        var bookingSeen = await (await reader.GetAsync($"/v1/bookings/{booking.Id()}")).JsonAsync(HttpStatusCode.OK);
        var bookingListed = (await (await reader.GetAsync("/v1/bookings")).JsonAsync(HttpStatusCode.OK))["data"]![0]!;
        foreach (var hidden in new[] { bookingSeen, bookingListed })
        {
            Assert.True((bool)hidden["pii_hidden"]!);
            Assert.Null(hidden["email"]);
            Assert.Null(hidden["notes"]);
        }
        Assert.Equal("ada@example.com", (string?)(await (await client.GetAsync($"/v1/bookings/{booking.Id()}")).JsonAsync(HttpStatusCode.OK))["email"]);

        var agentKey = await (await client.PostJsonAsync("/v1/api-keys", new { name = "agent", scopes = new[] { "bookings:read", "agent" } }))
            .JsonAsync(HttpStatusCode.Created);
        var readerInvite = await reader.GetStringAsync($"/v1/bookings/{booking.Id()}/invite.ics");
        var agentInvite = await app.Client((string)agentKey["secret"]!).GetStringAsync($"/v1/bookings/{booking.Id()}/invite.ics");
        Assert.Contains($"UID:{booking.Id()}@parley", readerInvite, StringComparison.Ordinal);
        Assert.DoesNotContain("first visit", readerInvite, StringComparison.Ordinal);
        Assert.Contains("DESCRIPTION:first visit", agentInvite, StringComparison.Ordinal);
    }
}
