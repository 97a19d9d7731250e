using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports.Platforms.Chatwoot;

/// <summary>
/// A Chatwoot on a loopback port speaking the part of its application API an import reads, as Chatwoot does: the
/// conversation list 25 to a page, most recently active first, open ones only unless <c>status=all</c>; a
/// conversation's latest 20 messages, or the 20 before <c>before</c>, oldest first; 401 for a wrong
/// <c>api_access_token</c> and 404 for another account.
/// </summary>
public sealed class FakeChatwoot : IAsyncDisposable
{
    public const string Token = "cw-token-6f1d2a";
    public const int Account = 3;

    public sealed record Person(int Id, string Name, string? Email, string? Phone);

    public sealed record Said(int Id, string? Content, int Type, long At, bool Private = false, string? SenderType = null, string? SenderName = null);

    public sealed class Conversation(int id, Person person, string status = "resolved")
    {
        public int Id { get; } = id;
        public Person Person { get; } = person;
        public string Status { get; } = status;
        public List<Said> Messages { get; } = [];
    }

    private readonly WebApplication _app;

    private FakeChatwoot(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public List<Conversation> Conversations { get; } = [];

    public ConcurrentQueue<string> Requested { get; } = new();

    public static async Task<FakeChatwoot> StartAsync()
    {
        var app = LoopbackApp.Create();
        var fake = new FakeChatwoot(app);
        app.Use(async (http, next) =>
        {
            fake.Requested.Enqueue(http.Request.Path + http.Request.QueryString);
            if (http.Request.Headers["api_access_token"] != Token)
            {
                http.Response.StatusCode = 401;
                await http.Response.WriteAsJsonAsync(new { error = "Invalid Access Token" });
                return;
            }
            await next(http);
        });
        app.MapGet("/api/v1/accounts/{account:int}/conversations", (int account, int? page, string? status) =>
        {
            if (account != Account)
            {
                return Results.NotFound(new { error = "Resource could not be found" });
            }
            var listed = fake.Conversations.Where(t => status == "all" || t.Status == (status ?? "open"))
                .OrderByDescending(t => t.Messages.Max(m => m.At)).ToList();
            var payload = new JsonArray([.. listed.Skip(((page ?? 1) - 1) * 25).Take(25).Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id,
                ["status"] = t.Status,
                ["created_at"] = t.Messages.Min(m => m.At),
                ["meta"] = new JsonObject { ["sender"] = Sender(t.Person) },
                ["messages"] = new JsonArray(),
            })]);
            var meta = new JsonObject { ["mine_count"] = 0, ["unassigned_count"] = listed.Count, ["assigned_count"] = 0, ["all_count"] = listed.Count };
            return Results.Json(new JsonObject { ["data"] = new JsonObject { ["meta"] = meta, ["payload"] = payload } });
        });
        app.MapGet("/api/v1/accounts/{account:int}/conversations/{id:int}/messages", (int account, int id, int? before) =>
        {
            if (account != Account || fake.Conversations.FirstOrDefault(t => t.Id == id) is not { } conversation)
            {
                return Results.NotFound(new { error = "Resource could not be found" });
            }
            var page = conversation.Messages.Where(m => before is null || m.Id < before).OrderByDescending(m => m.Id).Take(20).Reverse();
            var payload = new JsonArray([.. page.Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.Id,
                ["content"] = m.Content,
                ["inbox_id"] = 1,
                ["conversation_id"] = conversation.Id,
                ["message_type"] = m.Type,
                ["created_at"] = m.At,
                ["private"] = m.Private,
                ["source_id"] = null,
                ["sender"] = m.Type == 0 ? Sender(conversation.Person)
                    : m.SenderType is null ? null : new JsonObject { ["id"] = 9, ["name"] = m.SenderName, ["type"] = m.SenderType },
            })]);
            return Results.Json(new JsonObject { ["meta"] = new JsonObject { ["contact_id"] = conversation.Person.Id, ["labels"] = new JsonArray() }, ["payload"] = payload });
        });
        fake.Url = await LoopbackApp.StartAsync(app);
        return fake;
    }

    private static JsonObject Sender(Person person) => new()
    {
        ["id"] = person.Id,
        ["name"] = person.Name,
        ["email"] = person.Email,
        ["phone_number"] = person.Phone,
        ["type"] = "contact",
    };

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
