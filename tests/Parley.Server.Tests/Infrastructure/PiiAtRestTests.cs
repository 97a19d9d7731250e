using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Features.Exports;
using Parley.Server.Tests.Features.Flows;
using Parley.Server.Tests.Features.Webhooks;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Every kind of write that carries personal data, with values found nowhere else, then a search of what the database
/// stores for each of them: the raw SQLite file and its write-ahead log (nothing checkpointed), or every text column of
/// every table on PostgreSQL. The same values reach a webhook receiver and the events API decrypted, and an export
/// without PII holds none of them.
/// </summary>
public sealed class PiiAtRestTests
{
    private const string Site = "https://shop.example";

    /// <summary>The personal values of one run, by what they are.</summary>
    private sealed class Secrets
    {
        private static readonly Random Digits = new();
        private readonly string _run = Guid.NewGuid().ToString("N")[..8];

        public Secrets()
        {
            string Phone() => "+4915123" + Digits.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
            ContactName = $"Zoë Quillfeather {_run}";
            ContactEmail = $"zoe.{_run}@contact.example";
            ContactPhone = Phone();
            ContactAttribute = $"tier-{_run}";
            LeadName = $"Lëa Leadbetter {_run}";
            LeadEmail = $"lea.{_run}@lead.example";
            LeadPhone = Phone();
            LeadCustom = $"budget-{_run}";
            BookerName = $"Bo Bookwright {_run}";
            BookerEmail = $"bo.{_run}@booker.example";
            BookerPhone = Phone();
            BookingNotes = $"Knee pain since {_run}";
            FlowName = $"Fiona Flowers {_run}";
            FlowEmail = $"fiona.{_run}@flow.example";
            HandoffEmail = $"hank.{_run}@handoff.example";
            IdentifyName = $"Ida Identify {_run}";
            IdentifyEmail = $"ida.{_run}@identify.example";
            IdentifyPhone = Phone();
            PageEmail = $"page.{_run}@page.example";
            ReferrerQuery = $"ref-{_run}-search";
            UtmValue = $"utm-{_run}-campaign";
            UserAgent = $"Mozilla/5.0 (X11; Linux) Visitor-{_run}";
        }

        public string ContactName { get; }
        public string ContactEmail { get; }
        public string ContactPhone { get; }
        public string ContactAttribute { get; }
        public string LeadName { get; }
        public string LeadEmail { get; }
        public string LeadPhone { get; }
        public string LeadCustom { get; }
        public string BookerName { get; }
        public string BookerEmail { get; }
        public string BookerPhone { get; }
        public string BookingNotes { get; }
        public string FlowName { get; }
        public string FlowEmail { get; }
        public string HandoffEmail { get; }
        public string IdentifyName { get; }
        public string IdentifyEmail { get; }
        public string IdentifyPhone { get; }
        public string PageEmail { get; }
        public string ReferrerQuery { get; }
        public string UtmValue { get; }
        public string UserAgent { get; }

        public string PageUrl => $"{Site}/pricing?email={PageEmail}&utm_source={UtmValue}";

        public IReadOnlyList<string> All =>
        [
            ContactName, ContactEmail, ContactPhone, ContactAttribute, LeadName, LeadEmail, LeadPhone, LeadCustom, BookerName, BookerEmail,
            BookerPhone, BookingNotes, FlowName, FlowEmail, HandoffEmail, IdentifyName, IdentifyEmail, IdentifyPhone, PageEmail, ReferrerQuery,
            UtmValue, UserAgent,
        ];
    }

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The spellings a value can take in storage: as is, in other cases, escaped in JSON (both ways Parley writes JSON) and in a URL.</summary>
    private static IEnumerable<string> Forms(string value) => new[]
    {
        value,
        value.ToLowerInvariant(),
        value.ToUpperInvariant(),
        JsonSerializer.Serialize(value)[1..^1],
        JsonSerializer.Serialize(value, RelaxedJson)[1..^1],
        Uri.EscapeDataString(value),
    }.Distinct(StringComparer.Ordinal);

    /// <summary>The values with a form in <paramref name="text"/>, compared without regard to ASCII case.</summary>
    private static List<string> Found(IEnumerable<string> values, string text) =>
        [.. values.Where(v => Forms(v).Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The values with a form in <paramref name="bytes"/> (UTF-8), ASCII letters compared in lower case.</summary>
    private static List<string> Found(IEnumerable<string> values, byte[] bytes)
    {
        var lower = bytes.Select(b => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b).ToArray();
        return [.. values.Where(v => Forms(v).Any(f =>
            lower.AsSpan().IndexOf(Encoding.UTF8.GetBytes(AsciiLower(f))) >= 0 || bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(f)) >= 0))];
    }

    private static string AsciiLower(string text) => string.Concat(text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c));

    [Fact]
    public async Task Storage_EveryKindOfPersonalWrite_NoValueInTheDatabaseFileWalOrAnyTextColumn()
    {
        using var smtp = await SmtpTestServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Echo = true;
        var app = new WebhookApp()
            .With("Parley:Smtp:Host", "127.0.0.1")
            .With("Parley:Smtp:Port", smtp.Port.ToString(CultureInfo.InvariantCulture))
            .With("Parley:Smtp:Security", "none")
            .With("Parley:Smtp:From", "Parley <parley@shop.example>");
        app.KeepDatabase = ParleyApp.PostgresServer is null; // SQLite files are read again after the server stops, then removed here
        await app.InitializeAsync();
        var stopped = false;
        try
        {
            var secrets = new Secrets();
            var owner = app.Client();
            await (await owner.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "*" } })).JsonAsync(HttpStatusCode.Created);

            await WriteEverythingAsync(app, owner, secrets);
            var sent = await WaitForDeliveriesAsync(app, receiver);

            // Webhooks, the events API and the booker's confirmation email carry the values in clear.
            var bodies = string.Join("\n", sent.Select(r => r.Body));
            Assert.Equal([secrets.LeadEmail, secrets.BookerEmail, secrets.FlowEmail, secrets.PageEmail], Found([secrets.LeadEmail, secrets.BookerEmail, secrets.FlowEmail, secrets.PageEmail], bodies));
            var events = await owner.GetStringAsync("/v1/events?limit=100");
            Assert.Equal([secrets.LeadEmail, secrets.BookerName], Found([secrets.LeadEmail, secrets.BookerName], events));
            Assert.Contains(secrets.BookerEmail, await smtp.WaitForMessageAsync(), StringComparison.Ordinal);

            // A full export holds every value: each write happened and reads back.
            var withPii = string.Join("\n", ExportJobs.Files(await ExportJobs.ExportAsync(owner, includePii: true)).Values);
            Assert.Equal(secrets.All, Found(secrets.All, withPii));
            // An export without PII holds none.
            var withoutPii = string.Join("\n", ExportJobs.Files(await ExportJobs.ExportAsync(owner, includePii: false)).Values);
            Assert.Empty(Found(secrets.All, withoutPii));

            if (ParleyApp.PostgresServer is null)
            {
                var wal = Path.Combine(app.DataDirectory, "parley.db-wal");
                Assert.True(new FileInfo(wal).Length > 0, "The write-ahead log holds the recent writes, not yet checkpointed.");
                var files = await RawFilesAsync(app.DataDirectory);
                Assert.Contains(files, f => f.Name.EndsWith("-wal", StringComparison.Ordinal));
                Assert.Contains(files, f => f.Bytes.AsSpan().IndexOf("enc1:"u8) >= 0);
                foreach (var (name, bytes) in files)
                {
                    Assert.True(Found(secrets.All, bytes) is [], $"{name} holds {string.Join(", ", Found(secrets.All, bytes))}");
                }

                // Stopping checkpoints the log into the database file: still nothing.
                await ((IAsyncLifetime)app).DisposeAsync();
                stopped = true;
                foreach (var (name, bytes) in await RawFilesAsync(app.DataDirectory))
                {
                    Assert.True(Found(secrets.All, bytes) is [], $"{name} (after stopping) holds {string.Join(", ", Found(secrets.All, bytes))}");
                }
            }
            else
            {
                var columns = await EveryTextColumnAsync(app);
                Assert.Contains(columns, c => c.Column == "DataJson");
                foreach (var (where, text) in columns.Select(c => (c.Table + "." + c.Column, c.Text)))
                {
                    Assert.True(Found(secrets.All, text) is [], $"{where} holds {string.Join(", ", Found(secrets.All, text))}");
                }
            }
        }
        finally
        {
            if (!stopped)
            {
                await ((IAsyncLifetime)app).DisposeAsync();
            }
            if (app.KeepDatabase)
            {
                Directory.Delete(app.DataDirectory, recursive: true);
            }
        }
    }

    /// <summary>A contact, a lead, a booking, a flow's captured answers, a handoff email, a widget identify and page metadata.</summary>
    private static async Task WriteEverythingAsync(ParleyApp app, HttpClient owner, Secrets s)
    {
        var metadata = new { page_url = s.PageUrl, referrer = $"https://search.example/?q={s.ReferrerQuery}", user_agent = s.UserAgent };

        // A contact given with the conversation, and page metadata.
        var bot = await owner.CreateBotAsync("Front desk");
        var started = await owner.StartConversationAsync(bot, new { name = s.ContactName, email = s.ContactEmail, phone = s.ContactPhone, attributes = new { tier = s.ContactAttribute } }, metadata);
        var conversationId = started["conversation"]!.Id();
        await owner.SendAsync(conversationId, "Hello, what do you sell?");

        // A lead, sent with an idempotency key so its response is stored for replays.
        await (await owner.PostJsonAsync("/v1/leads", new
        {
            conversation_id = conversationId,
            fields = new { name = s.LeadName, email = s.LeadEmail, phone = s.LeadPhone, custom = new { budget = s.LeadCustom } },
        }, Guid.NewGuid().ToString())).JsonAsync(HttpStatusCode.Created);

        // A booking.
        var days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
        await (await owner.PatchJsonAsync($"/v1/bots/{bot}", new
        {
            booking = new { time_zone = "UTC", weekly_hours = days.ToDictionary(d => d, _ => new[] { new { start = "00:00", end = "23:00" } }), minimum_notice_minutes = 0, slot_minutes = 60 },
        })).JsonAsync(HttpStatusCode.OK);
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(9);
        await (await owner.PostJsonAsync("/v1/bookings", new
        {
            bot_id = bot, conversation_id = conversationId, start, name = s.BookerName, email = s.BookerEmail, phone = s.BookerPhone, notes = s.BookingNotes,
        })).JsonAsync(HttpStatusCode.Created);

        // A flow that asks for a name and an email and captures a lead with them.
        var flowBot = await owner.CreateBotAsync("Flow desk");
        await owner.PublishAsync(flowBot, FlowApi.Flow("name",
            [FlowApi.Node("name", "ask", """{"text": "Your name?", "variable": "name"}"""),
             FlowApi.Node("email", "ask", """{"text": "Your email?", "variable": "email", "input": "email"}"""),
             FlowApi.Node("lead", "capture_lead", """{"fields": {"name": "{{name}}", "email": "{{email}}"}}"""),
             FlowApi.Node("end", "end", """{"text": "Thanks {{name}}, we will write to {{email}}."}""")],
            [FlowApi.Edge("name", "next", "email"), FlowApi.Edge("email", "next", "lead"), FlowApi.Edge("lead", "next", "end"), FlowApi.Edge("lead", "failed", "end")]));
        var flowConversation = (await owner.StartConversationAsync(flowBot, metadata: metadata))["conversation"]!.Id();
        await owner.SendAsync(flowConversation, s.FlowName);
        var done = await owner.SendAsync(flowConversation, s.FlowEmail);
        Assert.Contains(s.FlowEmail, string.Join(" ", done.Texts()), StringComparison.Ordinal);

        // An email left for the team when nobody can take over (outside business hours).
        var helpdesk = await (await owner.PostJsonAsync("/v1/bots", new
        {
            name = "Helpdesk", fallback_text = "Sorry, I don't know that yet.",
            business_hours = new { time_zone = "Europe/Berlin", weekly = new { }, closed_dates = Array.Empty<string>() },
        })).JsonAsync(HttpStatusCode.Created);
        var handoffConversation = (await owner.StartConversationAsync(helpdesk.Id(), metadata: metadata))["conversation"]!.Id();
        var asked = await owner.SendAsync(handoffConversation, "talk to a person");
        Assert.True((bool)asked["conversation"]!["handoff"]!["awaiting_contact_details"]!);
        await owner.SendAsync(handoffConversation, $"Sure, it's {s.HandoffEmail}");

        // The widget: a session opened on a page, then Parley.identify.
        var publishable = (string)(await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = bot, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        var browser = app.Client(publishable);
        browser.DefaultRequestHeaders.Add("Origin", Site);
        browser.DefaultRequestHeaders.UserAgent.ParseAdd(s.UserAgent);
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { metadata })).JsonAsync(HttpStatusCode.OK);
        await (await browser.PostJsonAsync("/v1/widget/sessions", new
        {
            session_token = (string)session["session_token"]!,
            contact = new { name = s.IdentifyName, email = s.IdentifyEmail, phone = s.IdentifyPhone },
            metadata,
        })).JsonAsync(HttpStatusCode.OK);
        var visitor = app.Client((string)session["session_token"]!);
        visitor.DefaultRequestHeaders.Add("Origin", Site);
        await visitor.SendAsync(session["conversation"]!.Id(), "Just looking, thanks");
    }

    /// <summary>Waits until every delivery was sent (the receiver answered each with what it got), and returns what it received.</summary>
    private static async Task<IReadOnlyList<WebhookReceiver.Received>> WaitForDeliveriesAsync(ParleyApp app, WebhookReceiver receiver)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(d => d.Status != "delivered")) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The webhook deliveries were not all delivered.");
            await Task.Delay(50);
        }
        Assert.True(await app.DbAsync(db => db.WebhookAttempts.IgnoreQueryFilters().CountAsync()) > 10);
        return [.. receiver.Requests];
    }

    private static async Task<List<(string Name, byte[] Bytes)>> RawFilesAsync(string dataDirectory)
    {
        var files = new List<(string, byte[])>();
        foreach (var file in Directory.GetFiles(dataDirectory, "*.db*", SearchOption.AllDirectories))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory);
            files.Add((Path.GetFileName(file), memory.ToArray()));
        }
        return files;
    }

    /// <summary>Every value of every text, JSON and array column of every table, as PostgreSQL returns it.</summary>
    private static Task<List<(string Table, string Column, string Text)>> EveryTextColumnAsync(ParleyApp app) => app.DbAsync(async db =>
    {
        var columns = await db.Database.SqlQueryRaw<TextColumn>(
            """
            SELECT table_name AS "Table", column_name AS "Column" FROM information_schema.columns
            WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'xml')
            """).ToListAsync();
        var result = new List<(string, string, string)>();
        foreach (var column in columns)
        {
#pragma warning disable EF1002 // Table and column names come from the catalogue, quoted.
            var values = await db.Database.SqlQueryRaw<string>(
                $"SELECT \"{column.Column}\"::text AS \"Value\" FROM \"{column.Table}\" WHERE \"{column.Column}\" IS NOT NULL").ToListAsync();
#pragma warning restore EF1002
            result.Add((column.Table, column.Column, string.Join("\n", values)));
        }
        return result;
    });

    private sealed record TextColumn(string Table, string Column);
}
