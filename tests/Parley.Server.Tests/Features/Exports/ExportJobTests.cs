using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Exports;

public sealed class ExportJobTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<HttpClient> WorkspaceAsync()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var bot = await client.CreateBotAsync();
        var conversation = await client.StartConversationAsync(bot, new { name = "Ada", email = "ada@example.com" });
        await client.SendAsync(conversation["conversation"]!.Id(), "Hi there");
        return client;
    }

    [Fact]
    public async Task CreateExport_WithPii_ArchiveHasManifestChecksumsAndCounts()
    {
        var client = await WorkspaceAsync();

        var files = ExportJobs.Files(await ExportJobs.ExportAsync(client, includePii: true));

        var manifest = JsonNode.Parse(files["manifest.json"])!;
        Assert.Equal(1, (int)manifest["format_version"]!);
        Assert.Equal("included", (string?)manifest["pii"]);
        Assert.NotNull(manifest["parley_version"]);
        Assert.Null(manifest["not_included"]!["analytics_daily"]);
        Assert.Null(manifest["not_included"]!["leads"]);
        Assert.Null(manifest["not_included"]!["knowledge_sources"]);
        foreach (var file in manifest["files"]!.AsArray())
        {
            var text = files[(string)file!["name"]!];
            Assert.Equal((string?)file["sha256"], Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
        }
        var counts = manifest["files"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (long)f!["count"]!);
        Assert.Equal(3, counts["messages.ndjson"]);
        Assert.Equal(1, counts["contacts.ndjson"]);
        Assert.Equal(1, counts["bots.json"]);
        // Today's figures for the bot: one conversation, one visitor message, greeting and reply.
        Assert.Equal(1, counts["analytics_daily.csv"]);
        var analytics = files["analytics_daily.csv"].Split("\r\n");
        Assert.StartsWith("day,bot_id,conversations_started,engaged_conversations,visitor_messages,bot_messages,", analytics[0], StringComparison.Ordinal);
        Assert.StartsWith(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ",bot_", analytics[1], StringComparison.Ordinal);
        Assert.Contains(",1,1,1,2,0,", analytics[1], StringComparison.Ordinal);
        Assert.Contains("ada@example.com", files["contacts.ndjson"], StringComparison.Ordinal);
        Assert.DoesNotContain("secret", files["webhook_endpoints.json"], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreateExport_WithoutPii_PiiOmittedAndManifestSaysSo()
    {
        var client = await WorkspaceAsync();

        var archive = await ExportJobs.ExportAsync(client, includePii: false);
        var files = ExportJobs.Files(archive);

        var manifest = JsonNode.Parse(files["manifest.json"])!;
        Assert.Equal("omitted", (string?)manifest["pii"]);
        var omitted = manifest["omitted_fields"]!.AsArray().Select(f => (string?)f).ToList();
        Assert.Contains("contacts.email", omitted);
        Assert.Contains("messages.text", omitted);
        Assert.Contains("events.data", omitted);
        Assert.Contains("conversations.page_url", omitted);
        Assert.DoesNotContain("ada@example.com", files["contacts.ndjson"], StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", files["contacts.ndjson"], StringComparison.Ordinal);
        Assert.DoesNotContain("Hi there", files["messages.ndjson"], StringComparison.Ordinal);
        Assert.DoesNotContain("\"data\"", files["events.ndjson"], StringComparison.Ordinal);

        // Such an archive still imports: messages without their text, events without their data.
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var other = app.Client(otherKey);
        await (await Features.Imports.ImportTests.ImportAsync(other, archive)).JsonAsync(HttpStatusCode.Created);
        var conversation = (await (await other.GetAsync("/v1/conversations")).JsonAsync(HttpStatusCode.OK))["data"]![0]!.Id();
        var messages = (await (await other.GetAsync($"/v1/conversations/{conversation}/messages")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        Assert.Contains(messages, m => (string?)m!["role"] == "user" && (string?)m["text"] == "");
    }

    [Fact]
    public async Task CreateExport_WithLeads_SpreadsheetCopiesBesideTheNdjson()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var conversation = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversation, fields = new { name = "Grace, \"Amazing\" Hopper", email = "grace@example.com" } }))
            .JsonAsync(HttpStatusCode.Created);

        var withPii = ExportJobs.Files(await ExportJobs.ExportAsync(client, includePii: true));
        var withoutPii = ExportJobs.Files(await ExportJobs.ExportAsync(client, includePii: false));

        var rows = withPii["leads.csv"].Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("id,", rows[0], StringComparison.Ordinal);
        Assert.Contains("email", rows[0], StringComparison.Ordinal);
        Assert.Contains("\"Grace, \"\"Amazing\"\" Hopper\"", rows[1], StringComparison.Ordinal);
        Assert.Contains("grace@example.com", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("id,", withPii["bookings.csv"], StringComparison.Ordinal);
        Assert.DoesNotContain("grace@example.com", withoutPii["leads.csv"], StringComparison.Ordinal);
        var manifest = JsonNode.Parse(withPii["manifest.json"])!["files"]!.AsArray();
        Assert.Equal(1, (long)manifest.Single(f => (string?)f!["name"] == "leads.csv")!["count"]!);
    }

    [Fact]
    public async Task CreateExport_PiiWithoutScope_ForbiddenAndNoJob()
    {
        var client = await WorkspaceAsync();
        var key = await (await client.PostJsonAsync("/v1/api-keys", new { name = "backup", kind = "secret", scopes = new[] { "exports:read", "exports:write" } }))
            .JsonAsync(HttpStatusCode.Created);
        var narrow = app.Client((string)key["secret"]!);

        await (await narrow.PostJsonAsync("/v1/exports", new { include_pii = true })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var list = await (await narrow.GetAsync("/v1/exports")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(list["data"]!.AsArray());
    }

    [Fact]
    public async Task CreateExport_UnknownBotOrBadRange_InvalidRequest()
    {
        var client = await WorkspaceAsync();

        await (await client.PostJsonAsync("/v1/exports", new { bot_ids = new[] { "bot_nope" } })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await client.PostJsonAsync("/v1/exports", new { since = "2026-02-01T00:00:00Z", until = "2026-01-01T00:00:00Z" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Download_OtherWorkspacesExport_NotFound()
    {
        var client = await WorkspaceAsync();
        var created = await (await client.PostJsonAsync("/v1/exports", new { })).JsonAsync(HttpStatusCode.Accepted);
        await ExportJobs.WaitUntilDoneAsync(client, created.Id());

        var stranger = await WorkspaceAsync();

        await (await stranger.GetAsync($"/v1/exports/{created.Id()}/download")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
