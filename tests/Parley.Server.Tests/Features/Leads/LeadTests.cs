using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Leads;

public sealed class LeadTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Client, string BotId, string ConversationId, string ContactId)> ConversationAsync(string? contactEmail = null)
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var bot = await client.CreateBotAsync();
        var started = await client.StartConversationAsync(bot,
            contact: contactEmail is null ? null : new { name = "Ada Visitor", email = contactEmail },
            metadata: new { page_url = "https://shop.example/pricing", referrer = "https://search.example/", utm = new { source = "newsletter", campaign = "spring" } });
        var conversationId = started["conversation"]!.Id();
        await client.SendAsync(conversationId, "Hi, what does the pricing look like? I want to book a demo.");
        return (client, bot, conversationId, started["conversation"]!.Id("contact_id"));
    }

    private static async Task<JsonNode> EventsAsync(HttpClient client, string type) =>
        await (await client.GetAsync($"/v1/events?type={type}")).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task CreateLead_FromConversation_CapturedScoredWithE164PhoneAndEvent()
    {
        var (client, bot, conversationId, contactId) = await ConversationAsync();

        var response = await client.PostJsonAsync("/v1/leads", new
        {
            conversation_id = conversationId,
            fields = new { name = "Grace Hopper", email = "Grace@Example.com", phone = "+49 30 1234567", company = "Navy", custom = new { budget = "5k" } },
        });

        var lead = await response.JsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("lead_", lead.Id(), StringComparison.Ordinal);
        Assert.Equal($"/v1/leads/{lead.Id()}", response.Headers.Location?.ToString());
        Assert.Equal("+49301234567", (string?)lead["fields"]!["phone"]);
        Assert.Equal("5k", (string?)lead["fields"]!["custom"]!["budget"]);
        Assert.Equal("new", (string?)lead["status"]);
        Assert.Equal(bot, (string?)lead["bot_id"]);
        Assert.Equal(contactId, (string?)lead["contact_id"]);
        Assert.Equal("https://shop.example/pricing", (string?)lead["page_url"]);
        Assert.Equal("newsletter", (string?)lead["utm"]!["utm_source"]);
        // Fields 10+20+15+10+2, keywords pricing/book/demo 15, pricing page 10, campaign 5, one visitor message 2.
        Assert.Equal(89, (int)lead["score"]!);

        var captured = (await EventsAsync(client, "lead.captured"))["data"]!.AsArray().Single()!["data"]!;
        Assert.Equal(lead.Id(), captured.Id());
        Assert.Equal("Grace@Example.com", (string?)captured["fields"]!["email"]);
        Assert.Equal(89, (int)captured["score"]!);
        Assert.Equal("https://search.example/", (string?)captured["referrer"]);
        Assert.Equal("spring", (string?)captured["utm"]!["utm_campaign"]);
        var transcript = captured["transcript"]!.AsArray();
        Assert.Contains(transcript, m => ((string?)m!["text"])!.Contains("pricing", StringComparison.Ordinal) && (string?)m["role"] == "user");
        Assert.Contains(transcript, m => (string?)m!["role"] == "bot");
    }

    [Fact]
    public async Task CreateLead_SameEmailOtherSpelling_UpdatesTheLeadWithLeadUpdated()
    {
        var (client, _, conversationId, _) = await ConversationAsync();
        var first = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "dup@example.com" } }))
            .JsonAsync(HttpStatusCode.Created);

        var second = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "  DUP@example.COM ", name = "Dee" } }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.Id(), second.Id());
        Assert.Equal("Dee", (string?)second["fields"]!["name"]);
        Assert.True((int)second["score"]! > (int)first["score"]!);
        var list = await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(list["data"]!.AsArray());
        Assert.Single((await EventsAsync(client, "lead.updated"))["data"]!.AsArray());
    }

    [Fact]
    public async Task CreateLead_SameEmailInAnotherWorkspace_SeparateLeads()
    {
        var (client, _, conversationId, _) = await ConversationAsync();
        var (otherClient, _, otherConversation, _) = await ConversationAsync();

        var a = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "same@example.com" } })).JsonAsync(HttpStatusCode.Created);
        var b = await (await otherClient.PostJsonAsync("/v1/leads", new { conversation_id = otherConversation, fields = new { email = "same@example.com" } })).JsonAsync(HttpStatusCode.Created);

        Assert.NotEqual(a.Id(), b.Id());
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/v1/leads/{a.Id()}")).StatusCode);
    }

    [Fact]
    public async Task CreateLead_FromContact_UsesTheContactsLatestConversation()
    {
        var (client, _, conversationId, contactId) = await ConversationAsync(contactEmail: "contact@example.com");

        var lead = await (await client.PostJsonAsync("/v1/leads", new { contact_id = contactId, fields = new { company = "Acme" } })).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(conversationId, (string?)lead["conversation_id"]);
        Assert.Equal("Acme", (string?)lead["fields"]!["company"]);
    }

    [Theory]
    [InlineData("{\"fields\": {\"email\": \"a@example.com\"}}", "conversation_id")]
    [InlineData("{\"conversation_id\": \"conv_nope\", \"fields\": {}}", "conversation_id")]
    [InlineData("{\"contact_id\": \"ct_nope\", \"fields\": {}}", "contact_id")]
    [InlineData("{\"conversation_id\": \"CONV\", \"fields\": {\"email\": \"not-an-email\"}}", "fields.email")]
    [InlineData("{\"conversation_id\": \"CONV\", \"fields\": {\"phone\": \"call me maybe\"}}", "fields.phone")]
    [InlineData("{\"conversation_id\": \"CONV\", \"fields\": {\"phone\": \"030 1234567\"}}", "fields.phone")]
    public async Task CreateLead_BadInput_400AndNothingWritten(string body, string field)
    {
        var (client, _, conversationId, _) = await ConversationAsync();
        var before = await app.RowCountsAsync();

        var problem = await (await client.PostRawAsync("/v1/leads", body.Replace("CONV", conversationId, StringComparison.Ordinal)))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(before, await app.RowCountsAsync());
        Assert.Empty((await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray());
    }

    [Fact]
    public async Task ListLeads_Filters_StatusScoreBotAndEmailThroughTheBlindIndex()
    {
        var (client, bot, conversationId, _) = await ConversationAsync();
        var rich = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "rich@example.com", name = "R", phone = "+14155550123", company = "C" } }))
            .JsonAsync(HttpStatusCode.Created);
        var otherConversation = (await client.StartConversationAsync(bot))["conversation"]!.Id();
        var poor = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = otherConversation, fields = new { email = "poor@example.com" } }))
            .JsonAsync(HttpStatusCode.Created);
        await (await client.PatchJsonAsync($"/v1/leads/{poor.Id()}", new { status = "contacted" })).JsonAsync(HttpStatusCode.OK);

        async Task<string[]> IdsAsync(string query) =>
            [.. (await (await client.GetAsync("/v1/leads" + query)).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray().Select(l => l!.Id())];

        Assert.Equal([rich.Id()], await IdsAsync("?email=RICH@example.com"));
        Assert.Empty(await IdsAsync("?email=nobody@example.com"));
        Assert.Equal([poor.Id()], await IdsAsync("?status=contacted"));
        Assert.Equal([rich.Id()], await IdsAsync($"?min_score={(int)rich["score"]!}"));
        Assert.Equal([poor.Id(), rich.Id()], await IdsAsync($"?bot_id={bot}"));
        Assert.Empty(await IdsAsync("?bot_id=bot_other"));
        Assert.Empty(await IdsAsync($"?created_after={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}"));
        Assert.Equal([poor.Id()], await IdsAsync("?limit=1"));
        var page = await (await client.GetAsync("/v1/leads?limit=1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([rich.Id()], await IdsAsync($"?limit=1&after={(string?)page["next_cursor"]}"));
        await (await client.GetAsync("/v1/leads?status=hot")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task UpdateLead_AlongThePipeline_ThenInvalidTransition422AndNothingChanged()
    {
        var (client, _, conversationId, _) = await ConversationAsync();
        var lead = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "p@example.com" } })).JsonAsync(HttpStatusCode.Created);
        var path = $"/v1/leads/{lead.Id()}";

        var skipped = await (await client.PatchJsonAsync(path, new { status = "won" })).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_state_transition");
        Assert.Contains("contacted", (string?)skipped["detail"], StringComparison.Ordinal);
        foreach (var status in new[] { "contacted", "qualified", "won" })
        {
            var moved = await (await client.PatchJsonAsync(path, new { status })).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(status, (string?)moved["status"]);
        }
        await (await client.PatchJsonAsync(path, new { status = "lost", fields = new { name = "Changed" } })).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_state_transition");

        var now = await (await client.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("won", (string?)now["status"]);
        Assert.Null(now["fields"]!["name"]);
    }

    [Fact]
    public async Task UpdateLead_Fields_EditedNormalisedAndClearedWithLeadUpdated()
    {
        var (client, _, conversationId, _) = await ConversationAsync();
        var lead = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "e@example.com", company = "Old" } })).JsonAsync(HttpStatusCode.Created);

        var updated = await (await client.PatchJsonAsync($"/v1/leads/{lead.Id()}", new { fields = new { phone = "+44 20 7946 0958", company = "" } })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("+442079460958", (string?)updated["fields"]!["phone"]);
        Assert.Null(updated["fields"]!["company"]);
        Assert.Equal("e@example.com", (string?)updated["fields"]!["email"]);
        await (await client.PatchJsonAsync($"/v1/leads/{lead.Id()}", new { fields = new { email = "nope" } })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Single((await EventsAsync(client, "lead.updated"))["data"]!.AsArray());
    }

    [Fact]
    public async Task DeleteLead_Gone_ThenNotFound()
    {
        var (client, _, conversationId, _) = await ConversationAsync();
        var lead = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "d@example.com" } })).JsonAsync(HttpStatusCode.Created);

        await (await client.DeleteAsync($"/v1/leads/{lead.Id()}")).JsonAsync(HttpStatusCode.OK);

        await (await client.GetAsync($"/v1/leads/{lead.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await client.DeleteAsync($"/v1/leads/{lead.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, await app.DbAsync(db => db.Leads.IgnoreQueryFilters().CountAsync(l => l.Id == lead.Id())));
    }

    [Fact]
    public async Task StreamExport_Leads_CsvAndNdjsonWithPiiOnlyWhenAsked()
    {
        var (client, _, conversationId, _) = await ConversationAsync();
        var lead = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { name = "Csv, Person", email = "csv@example.com", company = "Acme" } }))
            .JsonAsync(HttpStatusCode.Created);

        var withPii = await client.GetStringAsync("/v1/export/leads.csv?include_pii=true");
        var withoutPii = await client.GetStringAsync("/v1/export/leads.ndjson");

        Assert.StartsWith("id,bot_id,conversation_id,contact_id,name,email,phone,company,custom,status,score", withPii, StringComparison.Ordinal);
        Assert.Contains("\"Csv, Person\",csv@example.com", withPii, StringComparison.Ordinal);
        var row = JsonNode.Parse(withoutPii.Trim())!;
        Assert.Equal(lead.Id(), row.Id());
        Assert.Equal("Acme", (string?)row["company"]);
        Assert.Null(row["email"]);
        Assert.Null(row["name"]);
        Assert.DoesNotContain("csv@example.com", withoutPii, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EraseContact_WithALead_LeadPiiClearedAndExportedBeforehand()
    {
        var (client, _, conversationId, contactId) = await ConversationAsync(contactEmail: "erase.me@example.com");
        var lead = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "erase.me@example.com", phone = "+49 30 7654321", custom = new { note = "secret-note" } } }))
            .JsonAsync(HttpStatusCode.Created);
        var export = await (await client.GetAsync($"/v1/contacts/{contactId}/export")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("erase.me@example.com", (string?)export["leads"]![0]!["email"]);

        await (await client.DeleteAsync($"/v1/contacts/{contactId}")).JsonAsync(HttpStatusCode.OK);

        var erased = await (await client.GetAsync($"/v1/leads/{lead.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Null(erased["fields"]!["email"]);
        Assert.Null(erased["fields"]!["phone"]);
        Assert.Empty(erased["fields"]!["custom"]!.AsObject());
        Assert.Empty((await (await client.GetAsync("/v1/leads?email=erase.me@example.com")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray());
        var events = await client.GetStringAsync("/v1/events?type=lead.captured");
        Assert.DoesNotContain("erase.me@example.com", events, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-note", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateLead_SameNewEmailInParallel_OneLeadOneCapturedTheRestUpdates()
    {
        var (client, _, conversationId, _) = await ConversationAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { email = "race@example.com", custom = new Dictionary<string, string> { [$"k{i}"] = "v" } } })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var leads = (await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        Assert.Equal(10, leads.Single()!["fields"]!["custom"]!.AsObject().Count);
        Assert.Single((await EventsAsync(client, "lead.captured"))["data"]!.AsArray());
    }
}
