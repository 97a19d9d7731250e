using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Parley.Server.Tests.Infrastructure;

public sealed class PiiEncryptionTests
{
    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Every stored value of the PII tables as the database holds it, read with SQL (no value converters).</summary>
    private static Task<string> RawPiiTablesAsync(ParleyApp app) => app.DbAsync(async db =>
    {
        var text = new StringBuilder();
        foreach (var (table, columns) in new[]
        {
            ("Contacts", "\"Name\", \"Email\", \"Phone\", \"Attributes\", \"EmailIndex\""),
            ("Leads", "\"Name\", \"Email\", \"Phone\", \"Custom\", \"EmailIndex\""),
            ("Bookings", "\"Name\", \"Email\", \"Phone\", \"Notes\""),
            ("Leads", "\"PageUrl\", \"Referrer\", \"Utm\""),
            ("Conversations", "\"PageUrl\", \"Referrer\", \"Utm\", \"UserAgent\", \"FlowStateJson\""),
            ("Messages", "\"Text\""),
            ("Events", "\"DataJson\""),
            ("IdempotencyRecords", "\"ResponseJson\""),
            ("WebhookAttempts", "\"ResponseExcerpt\""),
        })
        {
            foreach (var column in columns.Split(", "))
            {
#pragma warning disable EF1002 // Table and column names are constants of this test.
                var values = await db.Database.SqlQueryRaw<string>($"SELECT {column} AS \"Value\" FROM \"{table}\" WHERE {column} IS NOT NULL").ToListAsync();
#pragma warning restore EF1002
                text.AppendJoin('\n', values).Append('\n');
            }
        }
        return text.ToString();
    });

    private static async Task<string> RawFilesAsync(ParleyApp app)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(app.DataDirectory, "*.db*", SearchOption.AllDirectories))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }
        return text.ToString();
    }

    [Fact]
    public async Task StoredPii_ContactsLeadsAndBookings_NoPlaintextInTheDatabase()
    {
        var app = new ParleyApp();
        await app.InitializeAsync();
        await using var cleanup = new Cleanup(app);
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] secrets = [$"zed.{run}@example.com", $"Zed Quillfeather {run}", "+4915112345678", "0151 12345678", $"vip-{run}", $"budget-{run}", $"lead.{run}@example.com", $"Lea Leadly {run}", $"booker.{run}@example.com"];
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var started = await client.StartConversationAsync(bot, new { name = secrets[1], email = secrets[0], phone = secrets[3], attributes = new { tier = secrets[4] } });
        var conversationId = started["conversation"]!.Id();
        await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversationId, fields = new { name = secrets[7], email = secrets[6], phone = secrets[2], custom = new { budget = secrets[5] } } }))
            .JsonAsync(HttpStatusCode.Created);
        await (await client.PatchJsonAsync($"/v1/bots/{bot}", new
        {
            booking = new { time_zone = "UTC", weekly_hours = new { monday = new[] { new { start = "00:00", end = "23:00" } }, tuesday = new[] { new { start = "00:00", end = "23:00" } }, wednesday = new[] { new { start = "00:00", end = "23:00" } }, thursday = new[] { new { start = "00:00", end = "23:00" } }, friday = new[] { new { start = "00:00", end = "23:00" } }, saturday = new[] { new { start = "00:00", end = "23:00" } }, sunday = new[] { new { start = "00:00", end = "23:00" } } }, minimum_notice_minutes = 0, slot_minutes = 60 },
        })).JsonAsync(HttpStatusCode.OK);
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(9);
        await (await client.PostJsonAsync("/v1/bookings", new { bot_id = bot, start, name = secrets[1], email = secrets[8], phone = secrets[2] })).JsonAsync(HttpStatusCode.Created);

        var raw = await RawPiiTablesAsync(app);
        Assert.Contains("enc1:", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets, s => raw.Contains(s, StringComparison.OrdinalIgnoreCase));

        // The API still reads everything in clear.
        var export = await client.GetStringAsync($"/v1/contacts/{started["conversation"]!.Id("contact_id")}/export");
        Assert.Contains(secrets[0], export, StringComparison.Ordinal);
        Assert.Contains(secrets[4], export, StringComparison.Ordinal);
        Assert.Single((await (await client.GetAsync($"/v1/leads?email={Uri.EscapeDataString(secrets[6].ToUpperInvariant())}")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray());
    }

    [Fact]
    public async Task DatabaseFile_ContactStartedAConversation_NoPlaintextNameEmailOrPhone()
    {
        if (ParleyApp.PostgresServer is not null)
        {
            return; // The file-level check is for the embedded SQLite database; the table-level check covers PostgreSQL.
        }
        var app = new ParleyApp();
        await app.InitializeAsync();
        await using var cleanup = new Cleanup(app);
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] secrets = [$"file.{run}@example.com", $"Filippa Fileson {run}", $"+46 70 {run[..3]} 45 67", $"attr-{run}"];
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var started = await client.StartConversationAsync(bot, new { name = secrets[1], email = secrets[0], phone = secrets[2], attributes = new { plan = secrets[3] } });
        await client.SendAsync(started["conversation"]!.Id(), "Hello there");

        var raw = await RawFilesAsync(app);

        Assert.Contains("enc1:", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets, s => raw.Contains(s, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Restart_RotatedConfiguredKey_OldValuesReEncryptedAndStillFoundByEmail()
    {
        var dataDirectory = NewDataDirectory();
        var (oldKey, newKey) = (NewKey(), NewKey());
        var first = new ParleyApp(dataDirectory) { KeepDatabase = true }.With("Parley:Encryption:Key", oldKey);
        await first.InitializeAsync();
        var client = first.Client();
        var bot = await client.CreateBotAsync();
        var started = await client.StartConversationAsync(bot, new { email = "rotate@example.com", name = "Rota" });
        var contactId = started["conversation"]!.Id("contact_id");
        var lead = await (await client.PostJsonAsync("/v1/leads", new { conversation_id = started["conversation"]!.Id(), fields = new { email = "rotate@example.com" } }))
            .JsonAsync(HttpStatusCode.Created);
        var database = first.PostgresDatabase;
        await ((IAsyncLifetime)first).DisposeAsync();

        var second = new ParleyApp(dataDirectory, database).With("Parley:Encryption:Key", newKey).With("Parley:Encryption:PreviousKeys:0", oldKey);
        await second.InitializeAsync();
        try
        {
            var export = await (await second.Client().GetAsync($"/v1/contacts/{contactId}/export")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("rotate@example.com", (string?)export["contact"]!["email"]);
            var found = await (await second.Client().GetAsync("/v1/leads?email=rotate@example.com")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(lead.Id(), found["data"]![0]!.Id());
            var newId = Parley.Server.Infrastructure.Persistence.FieldEncryption.IdOf(Convert.FromBase64String(newKey));
            var raw = await RawPiiTablesAsync(second);
            Assert.Contains($"enc1:{newId}:", raw, StringComparison.Ordinal);
            var oldId = Parley.Server.Infrastructure.Persistence.FieldEncryption.IdOf(Convert.FromBase64String(oldKey));
            Assert.DoesNotContain($"enc1:{oldId}:", raw, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }

    [Fact]
    public async Task Restart_PlaintextRowsFromBeforeEncryption_EncryptedAtStartup()
    {
        var dataDirectory = NewDataDirectory();
        var first = new ParleyApp(dataDirectory) { KeepDatabase = true };
        await first.InitializeAsync();
        var client = first.Client();
        var started = await client.StartConversationAsync(await client.CreateBotAsync(), new { name = "Old" });
        var contactId = started["conversation"]!.Id("contact_id");
        // As an older version left it: plaintext columns and no blind index.
        await first.DbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Contacts\" SET \"Email\" = 'legacy@example.com', \"Name\" = 'Legacy Larsen', \"Attributes\" = {0}, \"EmailIndex\" = NULL WHERE \"Id\" = {1}", "{\"tier\":\"gold\"}", contactId));
        var conversationId = started["conversation"]!.Id();
        await first.DbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Events\" SET \"DataJson\" = {0} WHERE \"ConversationId\" = {1}", "{\"note\":\"legacy-event-payload\"}", conversationId));
        await first.DbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Messages\" SET \"Text\" = 'legacy message text' WHERE \"ConversationId\" = {0}", conversationId));
        var database = first.PostgresDatabase;
        await ((IAsyncLifetime)first).DisposeAsync();

        var second = new ParleyApp(dataDirectory, database);
        await second.InitializeAsync();
        try
        {
            var raw = await RawPiiTablesAsync(second);
            Assert.DoesNotContain("legacy@example.com", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("Legacy Larsen", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("gold", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("legacy-event-payload", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("legacy message text", raw, StringComparison.Ordinal);
            var events = await second.Client().GetStringAsync($"/v1/events?conversation_id={conversationId}");
            Assert.Contains("legacy-event-payload", events, StringComparison.Ordinal);
            var transcript = await second.Client().GetStringAsync($"/v1/conversations/{conversationId}/messages");
            Assert.Contains("legacy message text", transcript, StringComparison.Ordinal);
            var export = await (await second.Client().GetAsync($"/v1/contacts/{contactId}/export")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("legacy@example.com", (string?)export["contact"]!["email"]);
            Assert.Equal("gold", (string?)export["contact"]!["attributes"]!["tier"]);
            Assert.NotNull(await second.DbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).Select(c => c.EmailIndex).SingleAsync()));
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }

    private sealed class Cleanup(ParleyApp app) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(((IAsyncLifetime)app).DisposeAsync());
    }
}
