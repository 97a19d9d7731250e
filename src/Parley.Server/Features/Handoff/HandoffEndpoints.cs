using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Escalation;
using Parley.Engine.Events;
using Parley.Engine.Guardrails;
using Parley.Engine.Ids;
using Parley.Engine.Keys;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Handoff;

public static class HandoffEndpoints
{
    /// <summary>The event types a conversation stream sends.</summary>
    public static IReadOnlyList<string> StreamedTypes { get; } =
    [
        EventTypes.MessageCreated, EventTypes.HandoffRequested, EventTypes.ConversationAssigned,
        EventTypes.ConversationReturnedToBot, EventTypes.ConversationClosed,
    ];

    public static IEndpointRouteBuilder MapHandoff(this IEndpointRouteBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Handoff");
        conversations.MapPost("/{id}/handoff", RequestHandoff).RequireScope(Scopes.ConversationsWrite)
            .WithName("RequestHandoff").WithSummary("Hand a conversation to a person")
            .WithDescription("Moves the conversation to `handoff`: the bot stops answering, `handoff.requested` is recorded (webhooks, email notification), and the visitor is told what happens next: the rough wait when an agent is available, otherwise a request to leave an email address. 409 when the conversation is closed or already with a person.");
        conversations.MapPost("/{id}/claim", Claim).RequireScope(Scopes.Agent)
            .WithName("ClaimConversation").WithSummary("Claim a waiting conversation")
            .WithDescription("Assigns the conversation to the calling agent key and tells the visitor a person has joined (`conversation.assigned`). 409 when another agent holds it (unless `force`) or it is not in handoff.");
        conversations.MapPost("/{id}/assign", Assign).RequireScope(Scopes.Agent)
            .WithName("AssignConversation").WithSummary("Assign a waiting conversation to an agent")
            .WithDescription("Assigns the conversation to `agent_key_id`, an active secret key of this workspace with the `agent` scope (or no scope restriction), and records `conversation.assigned`. Open to agent keys and unrestricted (admin) keys. The visitor is told a person has joined when the conversation was unassigned; assigning it to the key that already holds it changes nothing. 400 when `agent_key_id` is missing or not a key id, 404 when no such key exists in the workspace, 422 `invalid_assignee` when the key is revoked, publishable or cannot act as an agent, 409 unless the conversation is in handoff.")
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
        conversations.MapGet("/{id}/stream", Stream).RequireScopeOrWidgetSession(Scopes.Agent)
            .WithName("StreamConversation").WithSummary("Follow a conversation live (server-sent events)")
            .WithDescription("Server-sent events of what happens in the conversation from now on: `message.created` (visitor, bot, agent and system messages), `handoff.requested`, `conversation.assigned`, `conversation.returned_to_bot`, `conversation.closed`; `data` is the event's data as in the event log, `id` the event id. Reconnect with `Last-Event-ID` (or `?last_event_id=`) to receive everything after it. Open to agent keys and to the widget session of the conversation's visitor.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        api.MapGet("/inbox", Inbox).RequireScope(Scopes.Agent).WithTags("Handoff")
            .WithName("ListInbox").WithSummary("Conversations waiting for a person")
            .WithDescription("Conversations in `handoff`, the longest waiting first, with `waiting_seconds` since the handoff. `assigned=false` lists only unclaimed ones, `assigned=true` only claimed ones; `assigned_to=me` lists those assigned to the calling key, `assigned_to=unassigned` those nobody holds, `assigned_to=key_…` those assigned to that key (400 for anything else). At most `limit` (1–100, default 50).");
        return api;
    }

    public static async Task<Ok<HandoffActionResponse>> RequestHandoff(
        string id, HandoffRequest? request, ParleyDbContext db, HandoffCoordinator coordinator, WorkspaceScope workspace, EventLog events,
        IdGenerator ids, TimeProvider time, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? HandoffReasons.Api : request.Reason.Trim();
        if (reason.Length > 100)
        {
            throw ApiException.Invalid("reason", "reason may be at most 100 characters.");
        }
        var conversation = await FindAsync(db, id, cancellationToken);
        if (conversation.Status != ConversationStatus.Open)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only an open conversation can be handed to a person.");
        }
        var escalationJson = await db.Bots.IgnoreQueryFilters([QueryFilters.NotDeleted]).Where(b => b.Id == conversation.BotId)
            .Select(b => b.EscalationJson).FirstOrDefaultAsync(cancellationToken);
        var notice = await coordinator.NoticeAsync(conversation, EscalationSettings.FromJson(escalationJson), cancellationToken);
        coordinator.Begin(conversation, reason, notice);
        var message = AddMessage(db, events, ids, time, workspace, conversation, MessageRole.Bot, notice.Text, null,
            notice.AgentsAvailable ? null : [GuardrailFlags.ContactDetailsRequested]);
        var response = new HandoffActionResponse(ConversationResponse.From(conversation), MessageResponse.From(message));
        await SaveAsync(db, idempotency, () => new HandoffActionResponse(ConversationResponse.From(conversation), MessageResponse.From(message)), cancellationToken);
        return TypedResults.Ok(response with { Conversation = ConversationResponse.From(conversation) });
    }

    public static async Task<Ok<HandoffActionResponse>> Claim(
        string id, ClaimRequest? request, ParleyDbContext db, HandoffCoordinator coordinator, Caller caller, AgentPresence presence,
        WorkspaceScope workspace, EventLog events, IdGenerator ids, TimeProvider time, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var conversation = await FindAsync(db, id, cancellationToken);
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only a conversation in handoff can be claimed.");
        }
        if (conversation.AssignedKeyId is { } holder && holder != caller.KeyId && request?.Force != true)
        {
            throw ApiException.Conflict($"Another agent ({holder}) has claimed this conversation; send \"force\": true to take it over.");
        }
        Message? message = null;
        if (conversation.AssignedKeyId != caller.KeyId)
        {
            conversation.AssignedKeyId = caller.KeyId;
            conversation.AssignedAt = time.GetUtcNow();
            conversation.AwaitingContactDetails = false;
            message = AddMessage(db, events, ids, time, workspace, conversation, MessageRole.System, "A member of our team has joined the conversation.", null, null);
            coordinator.Changed(EventTypes.ConversationAssigned, conversation);
        }
        await SaveAsync(db, idempotency, () => new HandoffActionResponse(ConversationResponse.From(conversation), message is null ? null : MessageResponse.From(message)), cancellationToken);
        return TypedResults.Ok(new HandoffActionResponse(ConversationResponse.From(conversation), message is null ? null : MessageResponse.From(message)));
    }

    public static async Task<Ok<HandoffActionResponse>> Assign(
        string id, AssignRequest? request, ParleyDbContext db, HandoffCoordinator coordinator, Caller caller, AgentPresence presence,
        WorkspaceScope workspace, EventLog events, IdGenerator ids, TimeProvider time, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var keyId = request?.AgentKeyId?.Trim();
        if (string.IsNullOrEmpty(keyId))
        {
            throw ApiException.Invalid("agent_key_id", "agent_key_id is required: the id (key_…) of the agent's API key.");
        }
        if (!keyId.StartsWith(IdPrefix.ApiKey + "_", StringComparison.Ordinal) || keyId.Length > 100)
        {
            throw ApiException.Invalid("agent_key_id", "agent_key_id must be the id of an API key (key_…).");
        }
        var conversation = await FindAsync(db, id, cancellationToken);
        // The key filter of the workspace applies: a key of another workspace is as unknown as one that never existed.
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken)
            ?? throw ApiException.NotFound("api_key", keyId);
        if (key.RevokedAt is not null || key.Kind != ApiKeyKind.Secret || (key.Scopes.Count > 0 && !key.Scopes.Contains(Scopes.Agent)))
        {
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidAssignee,
                $"The key {keyId} cannot answer conversations: only an active secret key with the `agent` scope (or no scope restriction) can be assigned.");
        }
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only a conversation in handoff can be assigned.");
        }
        Message? message = null;
        if (conversation.AssignedKeyId != keyId)
        {
            if (conversation.AssignedKeyId is null)
            {
                message = AddMessage(db, events, ids, time, workspace, conversation, MessageRole.System, "A member of our team has joined the conversation.", null, null);
            }
            conversation.AssignedKeyId = keyId;
            conversation.AssignedAt = time.GetUtcNow();
            conversation.AwaitingContactDetails = false;
            conversation.UpdatedAt = conversation.AssignedAt.Value;
            coordinator.Changed(EventTypes.ConversationAssigned, conversation);
        }
        await SaveAsync(db, idempotency, () => new HandoffActionResponse(ConversationResponse.From(conversation), message is null ? null : MessageResponse.From(message)), cancellationToken);
        return TypedResults.Ok(new HandoffActionResponse(ConversationResponse.From(conversation), message is null ? null : MessageResponse.From(message)));
    }

    public static async Task<Created<MessageResponse>> SendAgentMessage(
        string id, AgentMessageRequest request, ParleyDbContext db, HandoffCoordinator coordinator, Caller caller, AgentPresence presence,
        WorkspaceScope workspace, EventLog events, IdGenerator ids, TimeProvider time, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        string text;
        try
        {
            text = TurnInputValidator.Validate(new TurnInput(request.Text, null, null));
        }
        catch (TurnRejectedException ex)
        {
            throw ApiException.Invalid("text", ex.Message);
        }
        var conversation = await FindAsync(db, id, cancellationToken);
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; agents write only in conversations handed to a person (POST …/handoff first).");
        }
        if (conversation.AssignedKeyId is null)
        {
            conversation.AssignedKeyId = caller.KeyId;
            conversation.AssignedAt = time.GetUtcNow();
            conversation.AwaitingContactDetails = false;
            coordinator.Changed(EventTypes.ConversationAssigned, conversation);
        }
        var message = AddMessage(db, events, ids, time, workspace, conversation, MessageRole.Agent, text, caller.KeyId, null);
        conversation.FirstAgentReplyAt ??= message.CreatedAt;
        var location = $"/v1/conversations/{id}/messages";
        var entry = db.Entry(conversation);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await idempotency.SaveChangesAsync(StatusCodes.Status201Created, () => MessageResponse.From(message), cancellationToken, location);
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // A visitor's turn committed first: count this message on top of it, unless the conversation left handoff.
                var current = await entry.GetDatabaseValuesAsync(cancellationToken) ?? throw ApiException.NotFound("conversation", id);
                if (current.GetValue<string>(nameof(Conversation.Status)) != ConversationStatus.Handoff)
                {
                    throw ApiException.Conflict("The conversation left handoff while this reply was sent; nothing was stored.");
                }
                entry.OriginalValues.SetValues(current);
                conversation.MessageCount = current.GetValue<int>(nameof(Conversation.MessageCount)) + 1;
                conversation.Version = current.GetValue<int>(nameof(Conversation.Version)) + 1;
            }
            catch (DbUpdateConcurrencyException)
            {
                throw ApiException.Conflict("The conversation changed while this request ran; retry it.");
            }
        }
        return TypedResults.Created(location, MessageResponse.From(message));
    }

    public static async Task<Ok<HandoffActionResponse>> ReturnToBot(
        string id, ParleyDbContext db, HandoffCoordinator coordinator, Caller caller, AgentPresence presence, WorkspaceScope workspace,
        EventLog events, IdGenerator ids, TimeProvider time, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var conversation = await FindAsync(db, id, cancellationToken);
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only a conversation in handoff can go back to the bot.");
        }
        conversation.Status = ConversationStatus.Open;
        conversation.ResolvedAt = time.GetUtcNow();
        conversation.AssignedKeyId = null;
        conversation.AwaitingContactDetails = false;
        var message = AddMessage(db, events, ids, time, workspace, conversation, MessageRole.System,
            "You're back with our assistant. Ask for a person again at any time.", null, null);
        coordinator.Changed(EventTypes.ConversationReturnedToBot, conversation);
        await SaveAsync(db, idempotency, () => new HandoffActionResponse(ConversationResponse.From(conversation), MessageResponse.From(message)), cancellationToken);
        return TypedResults.Ok(new HandoffActionResponse(ConversationResponse.From(conversation), MessageResponse.From(message)));
    }

    public static async Task<Ok<HandoffActionResponse>> Close(
        string id, ParleyDbContext db, HandoffCoordinator coordinator, Caller caller, AgentPresence presence, TimeProvider time,
        IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var conversation = await FindAsync(db, id, cancellationToken);
        if (conversation.Status == ConversationStatus.Closed)
        {
            throw ApiException.Conflict("The conversation is already closed.");
        }
        var now = time.GetUtcNow();
        if (conversation.Status == ConversationStatus.Handoff)
        {
            conversation.ResolvedAt = now;
        }
        conversation.Status = ConversationStatus.Closed;
        conversation.AwaitingContactDetails = false;
        conversation.UpdatedAt = now;
        await coordinator.ClosedAsync(conversation, [], cancellationToken);
        await SaveAsync(db, idempotency, () => new HandoffActionResponse(ConversationResponse.From(conversation), null), cancellationToken);
        return TypedResults.Ok(new HandoffActionResponse(ConversationResponse.From(conversation), null));
    }

    public static async Task<CursorPage<InboxItem>> Inbox(
        ParleyDbContext db, Caller caller, AgentPresence presence, TimeProvider time, bool? assigned,
        [FromQuery(Name = "assigned_to")] string? assignedTo, int? limit, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var take = Paging.Limit(limit);
        var query = db.Conversations.AsNoTracking().Where(c => c.Status == ConversationStatus.Handoff);
        if (assigned is { } a)
        {
            query = a ? query.Where(c => c.AssignedKeyId != null) : query.Where(c => c.AssignedKeyId == null);
        }
        switch (assignedTo)
        {
            case null:
                break;
            case "me":
                var me = caller.KeyId;
                query = query.Where(c => c.AssignedKeyId == me);
                break;
            case "unassigned":
                query = query.Where(c => c.AssignedKeyId == null);
                break;
            case var k when k.StartsWith(IdPrefix.ApiKey + "_", StringComparison.Ordinal) && k.Length <= 100:
                query = query.Where(c => c.AssignedKeyId == k);
                break;
            default:
                throw ApiException.Invalid("assigned_to", "assigned_to must be `me`, `unassigned` or an API key id (key_…).");
        }
        // Few conversations wait at once; ordering by the handoff time in memory keeps the query portable
        // (SQLite cannot order by DateTimeOffset).
        var waiting = await query.ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ordered = waiting.OrderBy(c => c.HandoffRequestedAt ?? c.UpdatedAt).ThenBy(c => c.Id).ToList();
        var page = ordered.Take(take)
            .Select(c => new InboxItem(ConversationResponse.From(c), Math.Round((now - (c.HandoffRequestedAt ?? c.UpdatedAt)).TotalSeconds, 1)))
            .ToList();
        return new CursorPage<InboxItem>(page, ordered.Count > take, null);
    }

    public static async Task Stream(
        string id, HttpContext http, ParleyDbContext db, Caller caller, AgentPresence presence, ConversationSignals signals,
        IOptions<HandoffOptions> options, TimeProvider time, CancellationToken cancellationToken)
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

    private static async Task<Conversation> FindAsync(ParleyDbContext db, string id, CancellationToken cancellationToken) =>
        await db.Conversations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw ApiException.NotFound("conversation", id);

    private static Message AddMessage(
        ParleyDbContext db, EventLog events, IdGenerator ids, TimeProvider time, WorkspaceScope workspace, Conversation conversation,
        MessageRole role, string text, string? authorKeyId, List<string>? flags)
    {
        var message = new Message
        {
            Id = ids.New(IdPrefix.Message),
            WorkspaceId = workspace.WorkspaceId!,
            ConversationId = conversation.Id,
            Role = role,
            Text = text,
            CreatedAt = time.GetUtcNow(),
            AuthorKeyId = authorKeyId,
            Flags = flags,
        };
        db.Messages.Add(message);
        events.Add(EventTypes.MessageCreated, conversation.Id, MessageResponse.From(message));
        conversation.MessageCount++;
        conversation.Version++;
        conversation.LastMessageAt = message.CreatedAt;
        conversation.UpdatedAt = message.CreatedAt;
        return message;
    }

    private static async Task SaveAsync(
        ParleyDbContext db, IdempotencyScope idempotency, Func<object> response, CancellationToken cancellationToken, int status = StatusCodes.Status200OK,
        string? location = null)
    {
        try
        {
            await idempotency.SaveChangesAsync(status, response, cancellationToken, location);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A visitor's turn committed at the same moment; nothing of this request was written.
            throw ApiException.Conflict("The conversation changed while this request ran; retry it.");
        }
    }
}
