using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// A conversation followed live as server-sent events, read from the event log: woken at once by a commit on this
/// node (<see cref="ConversationSignals"/>), and by polling for commits on other nodes. Resumes after
/// <c>Last-Event-ID</c>.
/// </summary>
public sealed class ConversationStream(ParleyDbContext db, Caller caller, AgentPresence presence, ConversationSignals signals,
    IOptions<HandoffOptions> options, TimeProvider time)
{
    /// <summary>The event types a conversation stream sends.</summary>
    public static IReadOnlyList<string> StreamedTypes { get; } =
    [
        EventTypes.MessageCreated, EventTypes.HandoffRequested, EventTypes.ConversationAssigned,
        EventTypes.ConversationReturnedToBot, EventTypes.ConversationClosed,
    ];

    public async Task RunAsync(string id, HttpContext http, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.ContactId, c.BotId }).FirstOrDefaultAsync(cancellationToken);
        if (conversation is null || !caller.MaySee(conversation.ContactId, conversation.BotId))
        {
            throw ApiException.NotFound("conversation", id);
        }
        var last = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["last_event_id"].FirstOrDefault();
        if (last is not null && !last.StartsWith(IdPrefix.Event + "_", StringComparison.Ordinal))
        {
            throw ApiException.Invalid("Last-Event-ID", "Last-Event-ID must be the id of an event (evt_…) this stream sent.");
        }
        // Without a resume point the stream starts now: nothing already in the event log is replayed.
        last ??= await db.Events.AsNoTracking().Where(e => e.ConversationId == id).OrderByDescending(e => e.Id).Select(e => e.Id)
            .FirstOrDefaultAsync(cancellationToken) ?? "";

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync(": stream of " + id + "\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);

        var settings = options.Value;
        var lastWrite = time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                presence.Seen(caller);
                var wake = signals.NextAsync(id);
                var pending = await db.Events.AsNoTracking()
                    .Where(e => e.ConversationId == id && string.Compare(e.Id, last) > 0 && StreamedTypes.Contains(e.Type))
                    .OrderBy(e => e.Id).Take(100).ToListAsync(cancellationToken);
                if (pending.Count > 0)
                {
                    var builder = new StringBuilder();
                    foreach (var e in pending)
                    {
                        builder.Append("id: ").Append(e.Id).Append("\nevent: ").Append(e.Type).Append("\ndata: ").Append(OneLine(e.DataJson)).Append("\n\n");
                        last = e.Id;
                    }
                    await http.Response.WriteAsync(builder.ToString(), cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    lastWrite = time.GetUtcNow();
                    continue;
                }
                if (time.GetUtcNow() - lastWrite >= settings.StreamHeartbeat)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    lastWrite = time.GetUtcNow();
                }
                await Task.WhenAny(wake, Task.Delay(settings.StreamPollInterval, time, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static string OneLine(string json) =>
        json.Contains('\n', StringComparison.Ordinal) ? JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement) : json;
}
