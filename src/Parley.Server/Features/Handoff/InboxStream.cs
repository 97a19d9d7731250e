using Parley.Data;
using Parley.Engine.Events;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// The workspace's handoffs followed live (<see cref="EventLogStream"/>): a conversation joins the queue
/// (<c>handoff.requested</c>), is claimed or reassigned, goes back to the bot or is closed. Works across nodes because
/// it reads the event log, which the workspace filter keeps to the caller's workspace.
/// </summary>
public sealed class InboxStream(ParleyDbContext db, Caller caller, EventLogStream stream, ConversationSignals signals)
{
    /// <summary>The event types the inbox stream sends.</summary>
    public static IReadOnlyList<string> StreamedTypes { get; } =
    [
        EventTypes.HandoffRequested, EventTypes.ConversationAssigned, EventTypes.ConversationUnassigned, EventTypes.ConversationReturnedToBot,
        EventTypes.ConversationClosed,
    ];

    public Task RunAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var last = EventLogStream.ResumePoint(http);
        var events = db.Events.Where(e => StreamedTypes.Contains(e.Type));
        var workspaceId = caller.WorkspaceId;
        return stream.RunAsync(http, "inbox of " + workspaceId, last, events, () => signals.NextInWorkspaceAsync(workspaceId), null, cancellationToken);
    }
}
