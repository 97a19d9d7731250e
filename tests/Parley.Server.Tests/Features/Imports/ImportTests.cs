using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Responders;
using Parley.Engine.Turns;
using Parley.Server.Tests.Features.Exports;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports;

public sealed class ImportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static readonly string[] HistoryFiles =
    [
        "model_providers.json", "bots.json", "webhook_endpoints.json", "contacts.ndjson", "conversations.ndjson", "messages.ndjson", "events.ndjson",
        "webhook_deliveries.ndjson", "webhook_attempts.ndjson", "leads.ndjson", "bookings.ndjson", "knowledge_sources.ndjson",
        "usage_counters.ndjson", "conversation_notes.ndjson", "canned_responses.json",
    ];

    public static Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] archive, string? idempotencyKey = null)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(archive);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        content.Add(file, "archive", "backup.zip");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/imports") { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    /// <summary>Every entity type, unicode, long text and PII, in a fresh workspace of <paramref name="on"/>.</summary>
    internal static async Task<HttpClient> RichWorkspaceAsync(ParleyApp on)
    {
        var (workspaceId, key) = await on.CreateWorkspaceAsync("Bäckerei Müller 🥐");
        var client = on.Client(key);
        await client.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "owner@example.com" } });
        await (await client.PutAsJsonAsync("/v1/workspace/assignment-rules", new { capacity = 7, auto_assign = true, reassign_after_minutes = 45 })).JsonAsync(HttpStatusCode.OK);
        var bot = await client.CreateBotAsync("Ünïcödé bot 🤖", "Grüß Gott! 你好 — how can I help?");
        var contact = new { external_id = "crm-42", name = "Zoë Ångström-Łukasz", email = "zoe@example.com", phone = "+48 600 100 200", attributes = new { vip = "yes", note = "likes \"quotes\", commas" } };
        var started = await client.StartConversationAsync(bot, contact, new { page_url = "https://shop.example/ß?x=1", referrer = "https://search.example/", utm = new { source = "newsletter" }, locale = "de-AT" });
        var conversationId = started["conversation"]!.Id();
        await client.SendAsync(conversationId, string.Concat(Enumerable.Repeat("Lange Nachricht mit Umlauten äöü und Emoji 🎉. ", 30)));
        await client.SendAsync(conversationId, "Line one\nLine two\ttabbed \\ backslash");
        await client.StartConversationAsync(await client.CreateBotAsync("Second"));
        await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { name = "Zoë Ångström-Łukasz", email = "zoe@example.com", phone = "+48 600 100 200", company = "Müller & Söhne", custom = new { budget = "5 000 €" } } }))
            .JsonAsync(HttpStatusCode.Created);
        var week = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }.ToDictionary(d => d, _ => new[] { new { start = "08:00", end = "18:00" } });
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new { booking = new { time_zone = "Europe/Vienna", weekly_hours = week, slot_minutes = 60, minimum_notice_minutes = 0, capacity = 2, closed_dates = new[] { "2030-12-25" } } }))
            .JsonAsync(HttpStatusCode.OK);
        var slot = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(10);
        await (await client.PostJsonAsync("/v1/bookings", new { bot_id = bot, conversation_id = conversationId, start = slot, notes = "Zweiter Stock, bitte klingeln" })).JsonAsync(HttpStatusCode.Created);
        var cancelled = await (await client.PostJsonAsync("/v1/bookings", new { bot_id = bot, start = slot.AddHours(1), name = "Storno" })).JsonAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync($"/v1/bookings/{cancelled.Id()}/cancel", new { reason = "Krank" })).JsonAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/notes", new { text = "Stammkundin — Rabatt angeboten 🎁" })).JsonAsync(HttpStatusCode.Created);
        await (await client.PostJsonAsync("/v1/canned-responses", new { shortcut = "oeffnungszeiten", text = "Wir haben Mo–Fr 8–18 Uhr geöffnet." })).JsonAsync(HttpStatusCode.Created);
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "Local Ollama", kind = "openai", base_url = "https://llm.example/v1", api_key = "sk-never-exported", default_model = "llama3.1" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        await (await client.PostJsonAsync("/v1/bots", new { name = "Model bot", model = new { provider, name = "llama3.1", temperature = 0.2, max_tokens = 300, fallback_provider = provider } }))
            .JsonAsync(HttpStatusCode.Created);
        // A bot with a published flow and a draft, and a conversation part-way through it.
        var flowBot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Second", template = "qualify_handoff" })).JsonAsync(HttpStatusCode.Created)).Id();
        var inFlow = (await client.StartConversationAsync(flowBot))["conversation"]!.Id();
        await (await client.PostJsonAsync($"/v1/conversations/{inFlow}/messages", new { choice = "large" })).JsonAsync(HttpStatusCode.OK);
        // Knowledge: plain text and Markdown with unicode, and a flow block that answers from one of them.
        await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new
        {
            type = "text", title = "Öffnungszeiten 🕘",
            content = "Wir haben Montag bis Freitag von 8 bis 18 Uhr geöffnet.\n\nSamstags backen wir Croissants 🥐 und Brezeln. " + string.Concat(Enumerable.Repeat("Sauerteig braucht Zeit. ", 40)),
        })).JsonAsync(HttpStatusCode.Created);
        var flowSources = (await (await client.PostJsonAsync($"/v1/bots/{flowBot}/knowledge", new
        {
            type = "markdown", title = "Lieferung — 配送",
            content = "# Lieferung\n\nWir liefern in ganz Wien.\n\n## Kosten > Preise\n\nAb 30 € ist die Lieferung gratis; darunter 4,90 €.\n\n## 配送\n\n我们也送货到郊区。",
        })).JsonAsync(HttpStatusCode.Created)).Id();
        var draft = $$$"""{"start": "a", "nodes": [{"id": "a", "type": "ai_answer", "position": {"x": 1.5, "y": -2}, "settings": {"knowledge_source_ids": ["{{{flowSources}}}"]}}, {"id": "b", "type": "end", "position": {"x": 0, "y": 0}, "settings": {"text": "Tschüss 👋"}}], "edges": [{"id": "a-matched", "from": {"node": "a", "port": "matched"}, "to": {"node": "b"}}]}""";
        await (await client.PutAsync($"/v1/bots/{flowBot}/flow", new StringContent(draft, Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.OK);

        var ids = on.Services.GetService(typeof(IdGenerator)) as IdGenerator ?? IdGenerator.Default;
        var now = DateTimeOffset.UtcNow;
        await on.DbAsync(async db =>
        {
            // Handoff times, an agent's message and guardrail flags travel with the history.
            var handedOver = await db.Conversations.SingleAsync(c => c.Id == conversationId);
            handedOver.Status = "handoff";
            handedOver.HandoffRequestedAt = now.AddMinutes(-5);
            handedOver.HandoffReason = "visitor_request";
            handedOver.AssignedKeyId = "key_01agent";
            handedOver.AssignedAt = now.AddMinutes(-4);
            handedOver.FirstAgentReplyAt = now.AddMinutes(-3);
            handedOver.ResolvedAt = now.AddMinutes(-1);
            handedOver.AwaitingContactDetails = true;
            var last = await db.Messages.Where(m => m.ConversationId == conversationId).OrderByDescending(m => m.Id).FirstAsync();
            db.Entry(last).Property(m => m.Flags).CurrentValue = ["pii.email", "injection"];
            db.Entry(last).Property(m => m.AuthorKeyId).CurrentValue = "key_01agent";
            var endpoint = new WebhookEndpoint
            {
                Id = ids.New(IdPrefix.WebhookEndpoint), WorkspaceId = workspaceId, Url = "https://hooks.example/parley", Description = "CRM sync",
                Events = ["*"], Enabled = false, DisabledReason = "Paused by hand", SecretProtected = "x", CreatedAt = now, UpdatedAt = now,
                ConsecutiveFailures = 2, LastFailure = "HTTP 500", LastFailureAt = now,
            };
            var eventId = db.Events.First().Id;
            var delivery = new WebhookDelivery
            {
                Id = ids.New(IdPrefix.WebhookDelivery), WorkspaceId = workspaceId, EndpointId = endpoint.Id, EventId = eventId,
                EventType = "conversation.started", ConversationId = conversationId, Status = "failed", Attempts = 1,
                NextAttemptAt = now, LastAttemptAt = now, LastStatusCode = 500, LastError = "Server error", CreatedAt = now,
            };
            var reply = db.Messages.First(m => m.Role == MessageRole.Bot);
            db.Entry(reply).Property(m => m.Usage).CurrentValue = new TokenUsage(812, 64, "mp_example", "gpt-4o-mini");
            // A URL source that crawls its site and failed on its last read: crawl settings, page count and reason travel.
            db.KnowledgeSources.Add(new KnowledgeSource
            {
                Id = ids.New(IdPrefix.KnowledgeSource), WorkspaceId = workspaceId, BotId = bot, Type = "url", Title = "https://shop.example/",
                Url = "https://shop.example/", Status = "failed", FailureReason = "The page answered 503.", CrawlMaxDepth = 2, CrawlMaxPages = 7,
                PageCount = 3, ContentLength = 12345, CreatedAt = now, UpdatedAt = now, SyncedAt = now.AddDays(-1),
            });
            db.WebhookEndpoints.Add(endpoint);
            db.WebhookDeliveries.Add(delivery);
            db.WebhookAttempts.Add(new WebhookAttempt
            {
                Id = ids.New(IdPrefix.WebhookAttempt), WorkspaceId = workspaceId, DeliveryId = delivery.Id, EndpointId = endpoint.Id,
                AttemptedAt = now, DurationMs = 12.5, StatusCode = 500, ResponseExcerpt = "oops ✗", Succeeded = false,
            });
            db.UsageCounters.Add(new UsageCounter { WorkspaceId = workspaceId, Period = "2025-06", Metric = "ai_tokens", Value = 123456 });
            return await db.SaveChangesAsync();
        }, workspaceId);
        return client;
    }

    [Fact]
    public async Task Import_ArchiveIntoEmptyWorkspaceOnAnotherInstance_RoundTripIsLossless()
    {
        var source = await RichWorkspaceAsync(app);
        var exported = ExportJobs.Files(await ExportJobs.ExportAsync(source));
        await using var other = new ParleyApp();
        await ((IAsyncLifetime)other).InitializeAsync();
        var (_, key) = await other.CreateWorkspaceAsync("Empty");
        var target = other.Client(key);

        var imported = await (await ImportAsync(target, ExportArchive(exported))).JsonAsync(HttpStatusCode.Created);
        var again = ExportJobs.Files(await ExportJobs.ExportAsync(target));

        Assert.Equal("succeeded", (string?)imported["status"]);
        Assert.Equal(10, (long)imported["report"]!["files"]!["messages.ndjson"]!["created"]!);
        Assert.Contains("\"flow_versions\":[{\"version\":1", again["bots.json"], StringComparison.Ordinal);
        Assert.Contains("\"flow_draft\":{\"start\":\"a\"", again["bots.json"], StringComparison.Ordinal);
        Assert.Contains("\"flow_state\":{\"node\":\"ask_email\"", again["conversations.ndjson"], StringComparison.Ordinal);
        foreach (var file in HistoryFiles)
        {
            Assert.Equal(exported[file], again[file]);
        }
        // Analytics are not imported but recomputed from the imported history: the same figures.
        Assert.NotEqual(exported["analytics_daily.csv"].Split("\r\n")[0] + "\r\n", exported["analytics_daily.csv"]);
        Assert.Equal(exported["analytics_daily.csv"], again["analytics_daily.csv"]);
        Assert.Contains("zoe@example.com", again["contacts.ndjson"], StringComparison.Ordinal);
        Assert.Contains("\"flags\":[\"pii.email\",\"injection\"]", again["messages.ndjson"], StringComparison.Ordinal);
        Assert.Contains("\"author_key_id\":\"key_01agent\"", again["messages.ndjson"], StringComparison.Ordinal);
        Assert.Contains("\"handoff_reason\":\"visitor_request\"", again["conversations.ndjson"], StringComparison.Ordinal);
        Assert.Contains("\"first_agent_reply_at\":", again["conversations.ndjson"], StringComparison.Ordinal);
        Assert.Contains("owner@example.com", again["workspace.json"], StringComparison.Ordinal);
        var rules = await (await source.GetAsync("/v1/workspace/assignment-rules")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(7, (int?)rules["capacity"]);
        Assert.Equal(rules.ToJsonString(), (await (await target.GetAsync("/v1/workspace/assignment-rules")).JsonAsync(HttpStatusCode.OK)).ToJsonString());
        Assert.Equal(JsonNode.Parse(exported["workspace.json"])!["assignment_rules"]!.ToJsonString(), JsonNode.Parse(again["workspace.json"])!["assignment_rules"]!.ToJsonString());
        Assert.Contains("\"prompt_tokens\":812", again["messages.ndjson"], StringComparison.Ordinal);
        Assert.Contains("Local Ollama", again["model_providers.json"], StringComparison.Ordinal);
        Assert.Contains("Rabatt angeboten", again["conversation_notes.ndjson"], StringComparison.Ordinal);
        Assert.Contains("\"shortcut\":\"oeffnungszeiten\"", again["canned_responses.json"], StringComparison.Ordinal);
        Assert.DoesNotContain("sk-never-exported", string.Concat(exported.Values), StringComparison.Ordinal);
        Assert.Contains("\"crawl_max_depth\":2,\"crawl_max_pages\":7,\"page_count\":3", again["knowledge_sources.ndjson"], StringComparison.Ordinal);
        Assert.Equal(3, (long)imported["report"]!["files"]!["knowledge_sources.ndjson"]!["created"]!);
        Assert.Contains("{\"period\":\"2025-06\",\"metric\":\"ai_tokens\",\"value\":123456}", again["usage_counters.ndjson"], StringComparison.Ordinal);
        Assert.Contains($"{{\"period\":\"{DateTimeOffset.UtcNow:yyyy-MM}\",\"metric\":\"messages\",\"value\":3}}", again["usage_counters.ndjson"], StringComparison.Ordinal);
        await AssertSearchFindsAsync(target, "croissants", "Öffnungszeiten 🕘");
        await AssertSearchFindsAsync(target, "lieferung gratis", "Lieferung — 配送");
    }

    /// <summary>A search of the workspace's bots finds <paramref name="query"/> in the source titled <paramref name="title"/>.</summary>
    private static async Task AssertSearchFindsAsync(HttpClient client, string query, string title)
    {
        var bots = (await (await client.GetAsync("/v1/bots?limit=100")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray().Select(b => b!.Id());
        var titles = new List<string>();
        foreach (var bot in bots)
        {
            var found = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge/search", new { query })).JsonAsync(HttpStatusCode.OK);
            titles.AddRange(found["data"]!.AsArray().Select(p => (string)p!["source_title"]!));
        }
        Assert.Contains(title, titles);
    }

    [Fact]
    public async Task Import_SameArchiveTwice_SecondChangesNothing()
    {
        var source = await RichWorkspaceAsync(app);
        var archive = await ExportJobs.ExportAsync(source);
        var (_, key) = await app.CreateWorkspaceAsync("Copy");
        var target = app.Client(key);

        var first = await (await ImportAsync(target, archive)).JsonAsync(HttpStatusCode.Created);
        var afterFirst = ExportJobs.Files(await ExportJobs.ExportAsync(target));
        var rows = await app.RowCountsAsync();
        var second = await (await ImportAsync(target, archive)).JsonAsync(HttpStatusCode.Created);
        var afterSecond = ExportJobs.Files(await ExportJobs.ExportAsync(target));

        // Same instance: every id belongs to the source workspace, so all of them were given new ids.
        Assert.Equal(10, (long)first["report"]!["files"]!["messages.ndjson"]!["remapped"]!);
        Assert.Equal(10, (long)second["report"]!["files"]!["messages.ndjson"]!["skipped"]!);
        Assert.Equal(0, (long)second["report"]!["files"]!["messages.ndjson"]!["created"]! + (long)second["report"]!["files"]!["messages.ndjson"]!["remapped"]!);
        Assert.Equal(rows, await app.RowCountsAsync());
        foreach (var file in HistoryFiles)
        {
            Assert.Equal(afterFirst[file], afterSecond[file]);
        }
        var conversations = afterFirst["conversations.ndjson"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var bots = JsonNode.Parse(afterFirst["bots.json"])!.AsArray().Select(b => b!.Id()).ToHashSet();
        Assert.All(conversations, c => Assert.Contains((string)c["bot_id"]!, bots));

        // Knowledge sources came over with new ids, their chunks are searchable, and the flow block names the new id.
        var sources = afterFirst["knowledge_sources.ndjson"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, (long)first["report"]!["files"]!["knowledge_sources.ndjson"]!["remapped"]!);
        Assert.Equal(3, (long)second["report"]!["files"]!["knowledge_sources.ndjson"]!["skipped"]!);
        Assert.All(sources, s => Assert.Contains((string)s["bot_id"]!, bots));
        var markdown = sources.Single(s => (string?)s["type"] == "markdown").Id();
        var originalMarkdown = ExportJobs.Files(archive)["knowledge_sources.ndjson"].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).Single(s => (string?)s["type"] == "markdown").Id();
        Assert.NotEqual(originalMarkdown, markdown);
        Assert.Contains($"\"knowledge_source_ids\":[\"{markdown}\"]", afterFirst["bots.json"], StringComparison.Ordinal);
        Assert.DoesNotContain(originalMarkdown, afterFirst["bots.json"], StringComparison.Ordinal);
        await AssertSearchFindsAsync(target, "croissants", "Öffnungszeiten 🕘");
    }

    [Fact]
    public async Task Import_ArchiveWithoutKnowledgeSources_ImportsTheRest()
    {
        var files = ExportJobs.Files(await ExportJobs.ExportAsync(await RichWorkspaceAsync(app)));
        files.Remove("knowledge_sources.ndjson");
        var manifest = JsonNode.Parse(files["manifest.json"])!;
        var listed = manifest["files"]!.AsArray();
        listed.Remove(listed.Single(f => (string?)f!["name"] == "knowledge_sources.ndjson"));
        files["manifest.json"] = manifest.ToJsonString();
        var (workspaceId, key) = await app.CreateWorkspaceAsync("Older archive");

        var imported = await (await ImportAsync(app.Client(key), ExportArchive(files))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("succeeded", (string?)imported["status"]);
        Assert.Equal(0, (long)imported["report"]!["files"]!["knowledge_sources.ndjson"]!["rows"]!);
        Assert.Equal(0, await app.DbAsync(db => db.KnowledgeSources.CountAsync(), workspaceId));
    }

    [Fact]
    public async Task Import_ArchiveOverOneMegabyteWithIdempotencyKey_RetryReplaysAndImportsOnce()
    {
        var (sourceId, sourceKey) = await app.CreateWorkspaceAsync("Large");
        var source = app.Client(sourceKey);
        var conversationId = (await source.StartConversationAsync(await source.CreateBotAsync("Large")))["conversation"]!.Id();
        var ids = app.Services.GetService(typeof(IdGenerator)) as IdGenerator ?? IdGenerator.Default;
        await app.DbAsync(async db =>
        {
            // Random text barely compresses, so the archive stays well over 1 MB.
            for (var i = 0; i < 2500; i++)
            {
                db.Messages.Add(new Message
                {
                    Id = ids.New(IdPrefix.Message), WorkspaceId = sourceId, ConversationId = conversationId, Role = MessageRole.User,
                    Text = Convert.ToBase64String(RandomNumberGenerator.GetBytes(750)), CreatedAt = DateTimeOffset.UtcNow,
                });
            }
            return await db.SaveChangesAsync();
        }, sourceId);
        var archive = await ExportJobs.ExportAsync(source);
        Assert.True(archive.Length > 1024 * 1024, $"The archive is {archive.Length} bytes.");
        var (targetId, targetKey) = await app.CreateWorkspaceAsync("Large copy");
        var target = app.Client(targetKey);
        var key = Guid.NewGuid().ToString();
        var otherArchive = await ExportJobs.ExportAsync(await RichWorkspaceAsync(app));

        var first = await ImportAsync(target, archive, key);
        var firstBody = await first.JsonAsync(HttpStatusCode.Created);
        var rows = await app.RowCountsAsync();
        // A retry made anew: another multipart boundary, the same archive.
        var retry = await ImportAsync(target, archive, key);
        var retryBody = await retry.JsonAsync(HttpStatusCode.Created);
        var other = await ImportAsync(target, otherArchive, key);

        Assert.Equal(2501, (long)firstBody["report"]!["files"]!["messages.ndjson"]!["rows"]!);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstBody.Id(), retryBody.Id());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        await other.ProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(rows, await app.RowCountsAsync());
        Assert.Equal(1, await app.DbAsync(db => db.ImportJobs.CountAsync(), targetId));
    }

    [Fact]
    public async Task Import_CorruptZip_UnprocessableAndNothingWritten()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var rows = await app.RowCountsAsync();

        await (await ImportAsync(app.Client(key), Encoding.UTF8.GetBytes("PK this is not a zip"))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_archive");

        Assert.Equal(rows, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Import_FileChangedAfterExport_ChecksumRefusedAndNothingWritten()
    {
        var files = ExportJobs.Files(await ExportJobs.ExportAsync(await RichWorkspaceAsync(app)));
        files["messages.ndjson"] = files["messages.ndjson"].Replace("Line one", "Line 1", StringComparison.Ordinal);
        var (_, key) = await app.CreateWorkspaceAsync();
        var rows = await app.RowCountsAsync();

        var problem = await (await ImportAsync(app.Client(key), ExportArchive(files))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_archive");

        Assert.Contains("SHA-256", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(rows, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Import_UnknownFormatVersion_RefusedAndNothingWritten()
    {
        var files = ExportJobs.Files(await ExportJobs.ExportAsync(await RichWorkspaceAsync(app)));
        var manifest = JsonNode.Parse(files["manifest.json"])!;
        manifest["format_version"] = 99;
        files["manifest.json"] = manifest.ToJsonString();
        var (_, key) = await app.CreateWorkspaceAsync();
        var rows = await app.RowCountsAsync();

        var problem = await (await ImportAsync(app.Client(key), ExportArchive(files))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_archive");

        Assert.Contains("format version 99", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(rows, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Import_RowOutsideTheSchema_RefusedAndNothingWritten()
    {
        var files = ExportJobs.Files(await ExportJobs.ExportAsync(await RichWorkspaceAsync(app)));
        files["messages.ndjson"] += "{\"id\":\"msg_x\",\"text\":null}\n";
        var manifest = JsonNode.Parse(files["manifest.json"])!;
        var entry = manifest["files"]!.AsArray().Single(f => (string?)f!["name"] == "messages.ndjson")!;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(files["messages.ndjson"])));
        entry["count"] = (long)entry["count"]! + 1;
        files["manifest.json"] = manifest.ToJsonString();
        var (_, key) = await app.CreateWorkspaceAsync();
        var rows = await app.RowCountsAsync();

        var problem = await (await ImportAsync(app.Client(key), ExportArchive(files))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_archive");

        Assert.Contains("messages.ndjson line", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(rows, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Import_IntoWorkspaceWithItsOwnAssignmentRules_KeepsThemAndSaysSo()
    {
        var archive = await ExportJobs.ExportAsync(await RichWorkspaceAsync(app));
        var (_, key) = await app.CreateWorkspaceAsync();
        var target = app.Client(key);
        await (await target.PutAsJsonAsync("/v1/workspace/assignment-rules", new { capacity = 2 })).JsonAsync(HttpStatusCode.OK);

        var imported = await (await ImportAsync(target, archive)).JsonAsync(HttpStatusCode.Created);

        var rules = await (await target.GetAsync("/v1/workspace/assignment-rules")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, (int?)rules["capacity"]);
        Assert.False((bool)rules["auto_assign"]!);
        Assert.Contains(imported["report"]!["notes"]!.AsArray(), n => ((string?)n)!.Contains("assignment rules were kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_AssignmentRulesOutOfRange_RefusedAndNothingWritten()
    {
        var files = ExportJobs.Files(await ExportJobs.ExportAsync(await RichWorkspaceAsync(app)));
        var workspace = JsonNode.Parse(files["workspace.json"])!;
        workspace["assignment_rules"]!["capacity"] = 0;
        files["workspace.json"] = workspace.ToJsonString();
        var manifest = JsonNode.Parse(files["manifest.json"])!;
        var entry = manifest["files"]!.AsArray().Single(f => (string?)f!["name"] == "workspace.json")!;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(files["workspace.json"])));
        entry["bytes"] = Encoding.UTF8.GetByteCount(files["workspace.json"]);
        files["manifest.json"] = manifest.ToJsonString();
        var (_, key) = await app.CreateWorkspaceAsync();
        var rows = await app.RowCountsAsync();

        var problem = await (await ImportAsync(app.Client(key), ExportArchive(files))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_archive");

        Assert.Contains("workspace.json assignment_rules: capacity must be", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(rows, await app.RowCountsAsync());
    }

    [Fact]
    public async Task Import_NotMultipart_UnsupportedMediaType()
    {
        await (await app.Client().PostRawAsync("/v1/imports", "{}")).ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    internal static byte[] ExportArchive(Dictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }
        return buffer.ToArray();
    }
}
