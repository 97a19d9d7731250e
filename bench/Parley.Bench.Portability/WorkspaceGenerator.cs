using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Engine.Keys;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Bench.Portability;

/// <summary>
/// Fills a new SQLite database (the real migrations) with one workspace of the given size: contacts, one conversation
/// each spread over a few bots, messages alternating visitor and bot (bot replies with timings, some with citations),
/// and the events a real workspace records (conversation started, one message event per visitor message).
/// Rows go in through EF Core in large batches without change detection, ids from the real generator on a clock that
/// advances with the data, so they sort by creation time as they would in production.
/// </summary>
public sealed class WorkspaceGenerator(string connectionString)
{
    private const int Batch = 20_000;

    public const string OwnerToken = "sk_benchPortabilityOwnerKey00000000000";

    private static readonly string[] Questions =
    [
        "Hi, do you deliver to Lyon? I ordered a bike last week and wonder when it arrives.",
        "What are your opening hours on Saturday?",
        "Can I return a helmet if it does not fit? It still has the tags on.",
        "Est-ce que vous réparez les vélos électriques ? 🚲",
        "I'd like to book a service appointment for next Tuesday morning.",
    ];

    private static readonly string[] Answers =
    [
        "We deliver within 3–5 working days across France. You will get a tracking link by email once it ships.",
        "On Saturdays we are open from 9:00 to 17:00; on Sundays we are closed.",
        "Yes: unworn items with their tags can be returned within 30 days for a full refund.",
        "Oui, nous réparons les vélos électriques de toutes les marques courantes dans notre atelier.",
        "I can help with that. A member of the team will confirm the slot by email shortly.",
    ];

    public string WorkspaceId { get; private set; } = "";

    public async Task GenerateAsync(int messages, int messagesPerConversation, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var options = DatabaseRegistration.Configure(new DbContextOptionsBuilder<ParleyDbContext>(), DatabaseProvider.Sqlite, connectionString)
            .Options as DbContextOptions<ParleyDbContext> ?? throw new InvalidOperationException();
        await using (var setup = new ParleyDbContext(options))
        {
            await setup.Database.OpenConnectionAsync();
            await setup.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
            await setup.Database.CloseConnectionAsync();
            await setup.Database.MigrateAsync();
        }

        var time = new SteppingClock(DateTimeOffset.UtcNow.AddDays(-200));
        var ids = new IdGenerator(time);
        var random = new Random(7);
        WorkspaceId = ids.New(IdPrefix.Workspace);
        var scope = new WorkspaceScope();
        scope.Enter(WorkspaceId);
        var pending = new List<object>(Batch);
        await using (var db = new ParleyDbContext(options).ForWorkspace(scope))
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Workspaces.Add(new Workspace { Id = WorkspaceId, Name = "Vélo Atelier Lyon", NotificationEmails = ["owner@example.com"], CreatedAt = time.GetUtcNow() });
            db.ApiKeys.Add(new ApiKey
            {
                Id = ids.New(IdPrefix.ApiKey), WorkspaceId = WorkspaceId, Kind = ApiKeyKind.Secret, Name = "Owner key",
                Prefix = ApiKeyToken.VisiblePrefix(OwnerToken), TokenHash = ApiKeyToken.Hash(OwnerToken), CreatedAt = time.GetUtcNow(),
            });
            var bots = Enumerable.Range(1, 5).Select(i => new Bot
            {
                Id = ids.New(IdPrefix.Bot), WorkspaceId = WorkspaceId, Name = $"Support bot {i}", Greeting = "Bonjour! How can I help?",
                FallbackText = "A member of the team will follow up.", Instructions = "Answer briefly.", CreatedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow(),
            }).ToList();
            db.Bots.AddRange(bots);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();

            var conversations = (messages + messagesPerConversation - 1) / messagesPerConversation;
            var written = 0L;
            for (var c = 0; c < conversations; c++)
            {
                time.Advance(TimeSpan.FromSeconds(random.Next(30, 600)));
                var started = time.GetUtcNow();
                var contact = new Contact
                {
                    Id = ids.New(IdPrefix.Contact), WorkspaceId = WorkspaceId, ExternalId = c % 3 == 0 ? $"crm-{c}" : null,
                    Name = c % 2 == 0 ? $"Visitor {c} Ångström" : null, Email = c % 2 == 0 ? $"visitor{c}@example.com" : null,
                    Phone = c % 5 == 0 ? $"+33 6 {c % 100:00} {c % 97:00} {c % 89:00} {c % 83:00}" : null,
                    Attributes = c % 4 == 0 ? new Dictionary<string, string> { ["plan"] = "pro", ["source"] = "newsletter" } : [],
                    CreatedAt = started, LastSeenAt = started,
                };
                var count = (int)Math.Min(messagesPerConversation, messages - written);
                var conversation = new Conversation
                {
                    Id = ids.New(IdPrefix.Conversation), WorkspaceId = WorkspaceId, BotId = bots[c % bots.Count].Id, ContactId = contact.Id,
                    Channel = "widget", Status = c % 7 == 0 ? "handed_off" : "open", PageUrl = $"https://velo.example/shop/{c % 40}",
                    Referrer = "https://search.example/", Utm = c % 3 == 0 ? new Dictionary<string, string> { ["source"] = "ads" } : [],
                    Locale = c % 2 == 0 ? "fr-FR" : "en-GB", UserAgent = "Mozilla/5.0 (X11; Linux x86_64)", Device = "desktop",
                    MessageCount = count, Version = count, CreatedAt = started, UpdatedAt = started,
                };
                pending.Add(contact);
                pending.Add(conversation);
                pending.Add(Event(ids, "conversation.started", conversation.Id, time.GetUtcNow()));
                for (var m = 0; m < count; m++)
                {
                    time.Advance(TimeSpan.FromMilliseconds(random.Next(800, 20_000)));
                    var fromBot = m % 2 == 1;
                    var topic = random.Next(Questions.Length);
                    pending.Add(new Message
                    {
                        Id = ids.New(IdPrefix.Message), WorkspaceId = WorkspaceId, ConversationId = conversation.Id,
                        Role = fromBot ? MessageRole.Bot : MessageRole.User,
                        Text = fromBot ? Answers[topic] : Questions[topic],
                        QuickReplies = fromBot && m % 6 == 1 ? [new QuickReply("Talk to a person", "handoff")] : [],
                        Citations = fromBot && m % 4 == 1 ? [new Citation("ks_01BENCH", "Delivery and returns", "https://velo.example/faq", Answers[topic][..40])] : null,
                        Timings = fromBot ? new Dictionary<string, double> { ["retrieval_ms"] = random.Next(5, 40), ["total_ms"] = random.Next(20, 300) } : null,
                        CreatedAt = time.GetUtcNow(),
                    });
                    if (!fromBot)
                    {
                        pending.Add(Event(ids, "message.created", conversation.Id, time.GetUtcNow()));
                    }
                }
                conversation.LastMessageAt = time.GetUtcNow();
                conversation.UpdatedAt = time.GetUtcNow();
                written += count;
                if (pending.Count >= Batch || c == conversations - 1)
                {
                    db.AddRange(pending);
                    await db.SaveChangesAsync();
                    db.ChangeTracker.Clear();
                    pending.Clear();
                }
                if ((c + 1) % 5_000 == 0)
                {
                    log.WriteLine($"  {c + 1} conversations, {written} messages ({clock.Elapsed.TotalSeconds:0} s)");
                }
            }
        }
        log.WriteLine($"Generated {messages} messages in {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    private DomainEventRecord Event(IdGenerator ids, string type, string conversationId, DateTimeOffset at) => new()
    {
        Id = ids.New(IdPrefix.Event), WorkspaceId = WorkspaceId, Type = type, ConversationId = conversationId,
        DataJson = $$"""{"conversation_id":"{{conversationId}}"}""", CreatedAt = at,
    };

    /// <summary>A clock the generator moves forward, so timestamps and ids spread over months like real traffic.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
