using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Escalation;
using Parley.Engine.Events;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Events;

namespace Parley.Server.Features.Handoff;

/// <summary>What the visitor is told when a conversation goes to a person, and whether a person can take it now.</summary>
public sealed record HandoffNotice(string Text, bool AgentsAvailable, int AgentsOnline, int QueuePosition, int? EstimatedWaitMinutes, DateTimeOffset? NextOpening);

/// <summary>The data of a <c>handoff.requested</c> event.</summary>
public sealed record HandoffRequestedData(
    string ConversationId, string BotId, string Reason, DateTimeOffset RequestedAt, bool AgentsAvailable, int AgentsOnline,
    int QueuePosition, int? EstimatedWaitMinutes, ConversationResponse Conversation);

/// <summary>
/// The data of <c>conversation.assigned</c>, <c>conversation.unassigned</c> and <c>conversation.returned_to_bot</c>.
/// <c>reason</c> says why the assignment rules moved it (<c>auto_assigned</c>, <c>unanswered</c>; null when a person
/// did), and <c>previous_assignee_id</c> who held it before.
/// </summary>
public sealed record ConversationChangeData(
    string ConversationId, string Status, string? AssignedKeyId, ConversationResponse Conversation, string? AssignedUserId = null,
    string? Reason = null, string? PreviousAssigneeId = null);

/// <summary>The data of <c>conversation.closed</c>: the conversation with its whole transcript and where it happened.</summary>
public sealed record ConversationClosedData(
    string ConversationId, ConversationResponse Conversation, IReadOnlyList<MessageResponse> Transcript, string? PageUrl, string? Referrer,
    IReadOnlyDictionary<string, string> Utm, double? Score);

/// <summary>
/// Moves conversations between the bot and people: hands them over (with an honest notice to the visitor), and
/// records the events. Callers save; everything here joins their unit of work.
/// </summary>
public sealed class HandoffCoordinator(
    ParleyDbContext db, EventLog events, AgentPresence presence, ConversationTranscript transcript, IOptions<HandoffOptions> options, TimeProvider time)
{
    public const string DefaultContactPrompt =
        "Leave your email address here and we'll get back to you as soon as we can.";

    /// <summary>Works out what to tell the visitor: the wait when someone can answer, otherwise a request for contact details.</summary>
    public async Task<HandoffNotice> NoticeAsync(Conversation conversation, EscalationSettings escalation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hoursJson = await db.Bots.IgnoreQueryFilters([QueryFilters.NotDeleted]).AsNoTracking()
            .Where(b => b.Id == conversation.BotId).Select(b => b.BusinessHoursJson).FirstOrDefaultAsync(cancellationToken);
        var hours = BusinessHours.FromJson(hoursJson);
        var open = hours?.IsOpen(now) ?? true;
        var agents = await presence.CountAsync(db, conversation.WorkspaceId, cancellationToken);
        var ahead = await db.Conversations.AsNoTracking()
            .CountAsync(c => c.Status == ConversationStatus.Handoff && c.AssignedKeyId == null && c.AssignedUserId == null && c.Id != conversation.Id, cancellationToken);
        var position = ahead + 1;
        if (!open || agents == 0)
        {
            var next = open ? null : hours!.NextOpening(now);
            var when = next is { } n ? $" We're back {Describe(n, hours!.TimeZone, now)}." : "";
            var why = open ? "Nobody from our team is available right now." : "Our team is away right now.";
            return new HandoffNotice($"{why}{when} {escalation.ContactPrompt ?? DefaultContactPrompt}", false, agents, position, null, next);
        }
        var minutes = (int)Math.Ceiling((double)position / agents) * options.Value.MinutesPerConversation;
        var queue = position == 1 ? "You're next in line" : $"There {(ahead == 1 ? "is 1 person" : $"are {ahead} people")} ahead of you";
        return new HandoffNotice(
            $"I've asked a member of our team to take over. {queue}; someone usually replies within about {minutes} minutes. You can keep writing here in the meantime.",
            true, agents, position, minutes, null);
    }

    /// <summary>Hands the conversation to a person and records <c>handoff.requested</c>.</summary>
    public void Begin(Conversation conversation, string reason, HandoffNotice notice)
    {
        var now = time.GetUtcNow();
        conversation.Status = ConversationStatus.Handoff;
        conversation.HandoffReason = reason;
        conversation.HandoffRequestedAt = now;
        conversation.AssignedKeyId = null;
        conversation.AssignedUserId = null;
        conversation.AssignedAt = null;
        conversation.AwaitingAgentSince = null;
        conversation.FirstAgentReplyAt = null;
        conversation.ResolvedAt = null;
        conversation.AwaitingContactDetails = !notice.AgentsAvailable;
        conversation.UpdatedAt = now;
        events.Add(EventTypes.HandoffRequested, conversation.Id, new HandoffRequestedData(
            conversation.Id, conversation.BotId, reason, now, notice.AgentsAvailable, notice.AgentsOnline, notice.QueuePosition,
            notice.EstimatedWaitMinutes, ConversationResponse.From(conversation)));
    }

    /// <summary>
    /// Gives the conversation to the user (or, without one, the key), who owes the visitor a reply from now; tells the
    /// visitor a person has joined when nobody held it, and records <c>conversation.assigned</c> with why the rules
    /// moved it (<paramref name="reason"/>, null when a person did) and from whom. Returns the joined message, if any.
    /// </summary>
    public Message? Assign(Conversation conversation, string? userId, string? keyId, string? reason = null, string? previousAssigneeId = null)
    {
        var now = time.GetUtcNow();
        var joined = ActingAgent.IsHeld(conversation) ? null : transcript.Append(MessageRole.System, HandoffService.AgentJoinedText);
        conversation.AssignedUserId = userId;
        conversation.AssignedKeyId = userId is null ? keyId : null;
        conversation.AssignedAt = now;
        conversation.AwaitingAgentSince = now;
        conversation.AwaitingContactDetails = false;
        conversation.UpdatedAt = now;
        Changed(EventTypes.ConversationAssigned, conversation, reason, previousAssigneeId);
        return joined;
    }

    /// <summary>Puts the conversation back in the queue, held by nobody, and records <c>conversation.unassigned</c>.</summary>
    public void Unassign(Conversation conversation, string reason, string? previousAssigneeId)
    {
        conversation.AssignedUserId = null;
        conversation.AssignedKeyId = null;
        conversation.AssignedAt = null;
        conversation.AwaitingAgentSince = null;
        conversation.UpdatedAt = time.GetUtcNow();
        Changed(EventTypes.ConversationUnassigned, conversation, reason, previousAssigneeId);
    }

    public void Changed(string type, Conversation conversation, string? reason = null, string? previousAssigneeId = null) =>
        events.Add(type, conversation.Id, new ConversationChangeData(
            conversation.Id, conversation.Status, conversation.AssignedKeyId, ConversationResponse.From(conversation), conversation.AssignedUserId,
            reason, previousAssigneeId));

    public async Task ClosedAsync(Conversation conversation, IReadOnlyList<Message> added, CancellationToken cancellationToken)
    {
        var stored = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var transcript = stored.Concat(added).Select(MessageResponse.From).ToList();
        events.Add(EventTypes.ConversationClosed, conversation.Id, new ConversationClosedData(
            conversation.Id, ConversationResponse.From(conversation), transcript, conversation.PageUrl, conversation.Referrer, conversation.Utm, null));
    }

    private static string Describe(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var day = local.Date == today ? "today" : local.Date == today.AddDays(1) ? "tomorrow" : "on " + local.ToString("dddd", CultureInfo.InvariantCulture);
        return $"{day} at {local.ToString("HH:mm", CultureInfo.InvariantCulture)} ({zone.Id} time)";
    }
}
