using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Shutdown;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// Server-sent events read from the event log: woken at once by a commit on this node, and by polling for commits on
/// other nodes. Resumes after <c>Last-Event-ID</c> (or <c>?last_event_id=</c>); without one it starts now, replaying
/// nothing already in the log. Keeps the caller counted as a present agent while it is open. Ends when the node stops
/// taking requests (<see cref="NodeDrain"/>), so the client resumes on another node.
/// </summary>
public sealed class EventLogStream(Caller caller, AgentPresence presence, IOptions<HandoffOptions> options, TimeProvider time, NodeDrain drain)
{
    /// <summary>The resume point the client sent; 400 when it is not an event id.</summary>
    public static string? ResumePoint(HttpContext http)
    {
        var last = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["last_event_id"].FirstOrDefault();
        if (last is not null && (!last.StartsWith(IdPrefix.Event + "_", StringComparison.Ordinal) || last.Length > 100))
        {
            throw ApiException.Invalid("Last-Event-ID", "Last-Event-ID must be the id of an event (evt_…) this stream sent.");
        }
        return last;
    }

    /// <param name="events">The events this stream sends (filtered by type and subject).</param>
    /// <param name="wake">A task that completes at the next commit of a matching event on this node.</param>
    /// <param name="typing">Typing signals to send as they come, without ids: they are not in the log, so never resent.</param>
    public async Task RunAsync(HttpContext http, string title, string? last, IQueryable<DomainEventRecord> events, Func<Task> wake,
        TypingFeed? typing, CancellationToken cancellationToken)
    {
        last ??= await events.OrderByDescending(e => e.Id).Select(e => e.Id).FirstOrDefaultAsync(cancellationToken) ?? "";

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync(": " + title + "\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);

        var settings = options.Value;
        var lastWrite = time.GetUtcNow();
        using var open = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.Closed);
        try
        {
            while (!open.Token.IsCancellationRequested)
            {
                presence.Seen(caller);
                var next = wake();
                var after = last;
                var pending = await events.Where(e => string.Compare(e.Id, after) > 0).OrderBy(e => e.Id).Take(100).ToListAsync(open.Token);
                if (pending.Count > 0)
                {
                    var builder = new StringBuilder();
                    foreach (var e in pending)
                    {
                        builder.Append("id: ").Append(e.Id).Append("\nevent: ").Append(e.Type).Append("\ndata: ").Append(OneLine(e.DataJson)).Append("\n\n");
                        last = e.Id;
                    }
                    await http.Response.WriteAsync(builder.ToString(), open.Token);
                    await http.Response.Body.FlushAsync(open.Token);
                    lastWrite = time.GetUtcNow();
                    continue;
                }
                if (typing?.TakeFrame() is { } frame)
                {
                    await http.Response.WriteAsync(frame, open.Token);
                    await http.Response.Body.FlushAsync(open.Token);
                    lastWrite = time.GetUtcNow();
                }
                if (time.GetUtcNow() - lastWrite >= settings.StreamHeartbeat)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", open.Token);
                    await http.Response.Body.FlushAsync(open.Token);
                    lastWrite = time.GetUtcNow();
                }
                await Task.WhenAny(next, Task.Delay(settings.StreamPollInterval, time, open.Token));
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or this node is stopping: the client reconnects with Last-Event-ID.
        }
    }

    private static string OneLine(string json) =>
        json.Contains('\n', StringComparison.Ordinal) ? JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement) : json;
}
