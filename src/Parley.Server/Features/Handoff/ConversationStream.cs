using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Events;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Handoff;

/// <summary>A conversation followed live as server-sent events (<see cref="EventLogStream"/>), by its agents or its visitor.</summary>
public sealed class ConversationStream(ParleyDbContext db, Caller caller, EventLogStream stream, ConversationSignals signals, TypingSignals typing)
{
    /// <summary>The event types a conversation stream sends.</summary>
    public static IReadOnlyList<string> StreamedTypes { get; } =
    [
        EventTypes.MessageCreated, EventTypes.HandoffRequested, EventTypes.ConversationAssigned,
        EventTypes.ConversationReturnedToBot, EventTypes.ConversationClosed, EventTypes.ConversationUnassigned,
    ];

    public async Task RunAsync(string id, HttpContext http, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.ContactId, c.BotId }).FirstOrDefaultAsync(cancellationToken);
        if (conversation is null || !caller.MaySee(conversation.ContactId, conversation.BotId))
        {
            throw ApiException.NotFound("conversation", id);
        }
        var last = EventLogStream.ResumePoint(http);
        var events = db.Events.AsNoTracking().Where(e => e.ConversationId == id && StreamedTypes.Contains(e.Type));
        // Each side hears the other typing: the visitor hears agents, agents hear the visitor.
        var feed = typing.Watch(id, caller.Kind == CallerKind.WidgetSession ? TypingSignals.Visitor : TypingSignals.Agent);
        await stream.RunAsync(http, "stream of " + id, last, events, () => signals.NextAsync(id), feed, cancellationToken);
    }
}
