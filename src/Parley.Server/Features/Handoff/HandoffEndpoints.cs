using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Handoff.Assignment;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Handoff;

public static class HandoffEndpoints
{
    public static IEndpointRouteBuilder MapHandoff(this IEndpointRouteBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Handoff");
        conversations.MapPost("/{id}/handoff", RequestHandoff).RequireScope(Scopes.ConversationsWrite)
            .WithName("RequestHandoff").WithSummary("Hand a conversation to a person")
            .WithDescription("Moves the conversation to `handoff`: the bot stops answering, `handoff.requested` is recorded (webhooks, email notification), and the visitor is told what happens next: the rough wait when an agent is available, otherwise a request to leave an email address. 409 when the conversation is closed or already with a person.");
        conversations.MapPost("/{id}/claim", Claim).RequireScope(Scopes.Agent)
            .WithName("ClaimConversation").WithSummary("Claim a waiting conversation")
            .WithDescription("Assigns the conversation to the calling agent (the signed-in user, or the agent key) and tells the visitor a person has joined (`conversation.assigned`). 409 when another agent holds it (unless `force`) or it is not in handoff.");
        conversations.MapPost("/{id}/assign", Assign).RequireScope(Scopes.Agent)
            .WithName("AssignConversation").WithSummary("Assign a waiting conversation to an agent")
            .WithDescription("Assigns the conversation to `agent_key_id`, an active secret key of this workspace with the `agent` scope (or no scope restriction), or to `user_id`, a dashboard user of this workspace whose role answers conversations (agent, admin, owner), and records `conversation.assigned`. Open to agent keys and unrestricted (admin) keys. The visitor is told a person has joined when the conversation was unassigned; assigning it to the key that already holds it changes nothing. 400 unless exactly one of `agent_key_id` and `user_id` is given in the right form, 404 when no such key or user exists in the workspace, 422 `invalid_assignee` when the key is revoked, publishable or cannot act as an agent, or the user is a viewer, 409 unless the conversation is in handoff.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        conversations.MapPost("/{id}/agent-messages", SendAgentMessage).RequireScope(Scopes.Agent)
            .WithName("SendAgentMessage").WithSummary("Reply to the visitor as a person")
            .WithDescription("Stores an `agent` message (claiming the conversation if nobody has) and delivers it to the visitor's stream. The first reply after a handoff sets `handoff.first_agent_reply_at`. 409 unless the conversation is in handoff.");
        conversations.MapPost("/{id}/return-to-bot", ReturnToBot).RequireScope(Scopes.Agent)
            .WithName("ReturnToBot").WithSummary("Give the conversation back to the bot")
            .WithDescription("Ends the handoff (`handoff.resolved_at`), reopens the conversation for the bot and tells the visitor (`conversation.returned_to_bot`).");
        conversations.MapPost("/{id}/close", Close).RequireScope(Scopes.Agent)
            .WithName("CloseConversation").WithSummary("Close a conversation")
            .WithDescription("Closes the conversation; it takes no more messages. Records `conversation.closed` with the conversation, its full transcript, `page_url`, `referrer` and `utm`. 409 when already closed.");
        conversations.MapPost("/{id}/typing", ReportTyping).RequireScopeOrWidgetSession(Scopes.Agent)
            .WithName("ReportTyping").WithSummary("Say that the visitor or an agent is typing")
            .WithDescription("`{\"typing\": true}` while typing, `false` when stopped. The other side's conversation streams get a `typing` event (`who`: `visitor` or `agent`, `typing`, `name`: the agent's name) without an id: it is not stored, not in the event log, not resent after a reconnect, and news for a few seconds only, so clients repeat `true` every few seconds while typing goes on. A repeat of the same signal within a second is dropped (`relayed: false`). Open to the conversation's widget session (as the visitor) and agents. 400 without a boolean `typing`, 409 when the conversation is closed.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        conversations.MapGet("/{id}/stream", Stream).RequireScopeOrWidgetSession(Scopes.Agent)
            .WithName("StreamConversation").WithSummary("Follow a conversation live (server-sent events)")
            .WithDescription("Server-sent events of what happens in the conversation from now on: `message.created` (visitor, bot, agent and system messages), `handoff.requested`, `conversation.assigned`, `conversation.returned_to_bot`, `conversation.closed`; `data` is the event's data as in the event log, `id` the event id. Reconnect with `Last-Event-ID` (or `?last_event_id=`) to receive everything after it. Open to agent keys and to the widget session of the conversation's visitor.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        api.MapGet("/inbox", Inbox).RequireScope(Scopes.Agent).WithTags("Handoff")
            .WithName("ListInbox").WithSummary("Conversations waiting for a person")
            .WithDescription("Conversations in `handoff`, the longest waiting first, with `waiting_seconds` since the handoff. `assigned=false` lists only unclaimed ones, `assigned=true` only claimed ones; `assigned_to=me` lists those assigned to the caller (the signed-in user, or the calling key), `assigned_to=unassigned` those nobody holds, `assigned_to=key_…` or `assigned_to=usr_…` those assigned to that key or user (400 for anything else). `lead_score` is the score of the lead the conversation captured, if any. At most `limit` (1–100, default 50).");
        api.MapGet("/inbox/stream", StreamInbox).RequireScope(Scopes.Agent).WithTags("Handoff")
            .WithName("StreamInbox").WithSummary("Follow the inbox live (server-sent events)")
            .WithDescription("Server-sent events of the workspace's handoffs from now on: `handoff.requested` (a conversation joins the queue), `conversation.assigned` (claimed or reassigned), `conversation.returned_to_bot`, `conversation.closed`; `data` is the event's data as in the event log (with the conversation), `id` the event id. Reconnect with `Last-Event-ID` (or `?last_event_id=`) to receive everything after it; 400 when it is not an event id. While open, the caller counts as an available agent.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPut("/inbox/presence", ReportPresence).RequireScope(Scopes.Agent).WithTags("Handoff")
            .WithName("ReportPresence").WithSummary("Tell whether the signed-in agent is online or away")
            .WithDescription("For people signed in to the dashboard: `status` is `online` or `away`. An `online` agent counts as available to visitors for `Parley:Handoff:AgentOnlineWindow` after the last report (the dashboard repeats it while open); `away` stops counting at once, on every node. 400 for another status, or when called with an API key (keys count as online while they are used).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapAssignmentRules();
        return api;
    }

    public static Task StreamInbox(HttpContext http, InboxStream stream, CancellationToken cancellationToken) =>
        stream.RunAsync(http, cancellationToken);

    public static async Task<Ok<PresenceResponse>> ReportPresence(
        PresenceRequest? request, Caller caller, AgentPresence presence, ParleyDbContext db, WakeSignal<AssignmentWorker> sweep,
        CancellationToken cancellationToken)
    {
        if (caller.UserId is not { } userId)
        {
            throw ApiException.Invalid("status", "Presence is kept for people signed in to the dashboard; an agent key counts as online while it is used.");
        }
        if (request?.Status is not (AgentPresence.Online or AgentPresence.Away))
        {
            throw ApiException.Invalid("status", "status must be `online` or `away`.");
        }
        var (seenAt, wasOnline) = await presence.ReportAsync(db, caller, request.Status, cancellationToken);
        if (request.Status == AgentPresence.Online && !wasOnline)
        {
            // Conversations waiting for someone with room may go to this agent now. Not on every repeat of the
            // dashboard's report: nothing changed for the sweep then.
            sweep.Notify();
        }
        return TypedResults.Ok(new PresenceResponse(userId, request.Status, seenAt));
    }

    public static async Task<Ok<HandoffActionResponse>> RequestHandoff(
        string id, HandoffRequest? request, HandoffService handoff, CancellationToken cancellationToken) =>
        TypedResults.Ok(await handoff.RequestAsync(id, request, cancellationToken));

    public static async Task<Ok<HandoffActionResponse>> Claim(string id, ClaimRequest? request, HandoffService handoff, CancellationToken cancellationToken) =>
        TypedResults.Ok(await handoff.ClaimAsync(id, request, cancellationToken));

    public static async Task<Ok<HandoffActionResponse>> Assign(string id, AssignRequest? request, HandoffService handoff, CancellationToken cancellationToken) =>
        TypedResults.Ok(await handoff.AssignAsync(id, request, cancellationToken));

    public static async Task<Created<MessageResponse>> SendAgentMessage(
        string id, AgentMessageRequest request, HandoffService handoff, CancellationToken cancellationToken)
    {
        var location = $"/v1/conversations/{id}/messages";
        return TypedResults.Created(location, await handoff.ReplyAsync(id, request, location, cancellationToken));
    }

    public static async Task<Ok<HandoffActionResponse>> ReturnToBot(string id, HandoffService handoff, CancellationToken cancellationToken) =>
        TypedResults.Ok(await handoff.ReturnToBotAsync(id, cancellationToken));

    public static async Task<Ok<HandoffActionResponse>> Close(string id, HandoffService handoff, CancellationToken cancellationToken) =>
        TypedResults.Ok(await handoff.CloseAsync(id, cancellationToken));

    public static Task<CursorPage<InboxItem>> Inbox(
        HandoffInbox inbox, bool? assigned, [FromQuery(Name = "assigned_to")] string? assignedTo, int? limit, CancellationToken cancellationToken) =>
        inbox.ListAsync(assigned, assignedTo, limit, cancellationToken);

    public static async Task<Ok<TypingResponse>> ReportTyping(
        string id, TypingRequest? request, Caller caller, ParleyDbContext db, ActingAgent agent, TypingSignals typing, CancellationToken cancellationToken)
    {
        if (request?.Typing is not { } isTyping)
        {
            throw ApiException.Invalid("typing", "typing is required: true while typing, false when stopped.");
        }
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.ContactId, c.BotId, c.Status }).FirstOrDefaultAsync(cancellationToken);
        if (conversation is null || !caller.MaySee(conversation.ContactId, conversation.BotId))
        {
            throw ApiException.NotFound("conversation", id);
        }
        if (conversation.Status == ConversationStatus.Closed)
        {
            throw ApiException.Conflict("The conversation is closed; nobody is waiting for what you type.");
        }
        var relayed = caller.Kind == CallerKind.WidgetSession
            ? typing.Report(id, TypingSignals.Visitor, isTyping, null)
            : typing.Report(id, TypingSignals.Agent, isTyping, (await agent.AuthorAsync(cancellationToken)).Name);
        return TypedResults.Ok(new TypingResponse(relayed));
    }

    public static Task Stream(string id, HttpContext http, ConversationStream stream, CancellationToken cancellationToken) =>
        stream.RunAsync(id, http, cancellationToken);
}
