using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Escalation;
using Parley.Engine.Events;
using Parley.Engine.Guardrails;
using Parley.Engine.Ids;
using Parley.Engine.Keys;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Handoff.Assignment;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// What people do with a conversation: hand it over, claim or assign it, reply, give it back to the bot, close it.
/// Each action waits its turn on the conversation (<see cref="ConversationTranscript"/>), so it never races a
/// visitor's message, and commits its messages, events and response together.
/// </summary>
public sealed class HandoffService(
    ParleyDbContext db, ConversationTranscript transcript, HandoffCoordinator coordinator, Caller caller, AgentPresence presence,
    ActingAgent agent, AgentCapacity capacity, TimeProvider time)
{
    public const string AgentJoinedText = "A member of our team has joined the conversation.";
    public const string BackWithBotText = "You're back with our assistant. Ask for a person again at any time.";

    public async Task<HandoffActionResponse> RequestAsync(string id, HandoffRequest? request, CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? HandoffReasons.Api : request.Reason.Trim();
        if (reason.Length > 100)
        {
            throw ApiException.Invalid("reason", "reason may be at most 100 characters.");
        }
        var conversation = await OpenAsync(id, cancellationToken);
        if (conversation.Status != ConversationStatus.Open)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only an open conversation can be handed to a person.");
        }
        var escalationJson = await db.Bots.IgnoreQueryFilters([QueryFilters.NotDeleted]).Where(b => b.Id == conversation.BotId)
            .Select(b => b.EscalationJson).FirstOrDefaultAsync(cancellationToken);
        var notice = await coordinator.NoticeAsync(conversation, EscalationSettings.FromJson(escalationJson), cancellationToken);
        coordinator.Begin(conversation, reason, notice);
        var message = transcript.Append(MessageRole.Bot, notice.Text, notice.AgentsAvailable ? null : [GuardrailFlags.ContactDetailsRequested]);
        return await CommitAsync(conversation, message, cancellationToken);
    }

    public async Task<HandoffActionResponse> ClaimAsync(string id, ClaimRequest? request, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var conversation = await OpenAsync(id, cancellationToken);
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only a conversation in handoff can be claimed.");
        }
        if (ActingAgent.HolderOf(conversation) is { } holder && !agent.Holds(conversation) && request?.Force != true)
        {
            throw ApiException.Conflict($"Another agent ({holder}) has claimed this conversation; send \"force\": true to take it over.");
        }
        Message? message = null;
        if (!agent.Holds(conversation))
        {
            await capacity.EnsureRoomAsync(caller.UserId, caller.KeyId, cancellationToken);
            message = coordinator.Assign(conversation, caller.UserId, caller.KeyId);
        }
        return await CommitAsync(conversation, message, cancellationToken);
    }

    public async Task<HandoffActionResponse> AssignAsync(string id, AssignRequest? request, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var keyId = request?.AgentKeyId?.Trim();
        var userId = request?.UserId?.Trim();
        if (string.IsNullOrEmpty(keyId) == string.IsNullOrEmpty(userId))
        {
            throw ApiException.Invalid("agent_key_id",
                "Send exactly one of agent_key_id (the id, key_…, of the agent's API key) and user_id (the id, usr_…, of a dashboard user).");
        }
        if (keyId is { Length: > 0 } && (!keyId.StartsWith(IdPrefix.ApiKey + "_", StringComparison.Ordinal) || keyId.Length > 100))
        {
            throw ApiException.Invalid("agent_key_id", "agent_key_id must be the id of an API key (key_…).");
        }
        if (userId is { Length: > 0 } && (!userId.StartsWith(IdPrefix.User + "_", StringComparison.Ordinal) || userId.Length > 100))
        {
            throw ApiException.Invalid("user_id", "user_id must be the id of a dashboard user (usr_…).");
        }
        var conversation = await OpenAsync(id, cancellationToken);
        if (keyId is { Length: > 0 })
        {
            await CheckAssigneeKeyAsync(keyId, cancellationToken);
        }
        else
        {
            await CheckAssigneeUserAsync(userId!, cancellationToken);
        }
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only a conversation in handoff can be assigned.");
        }
        Message? message = null;
        var assignee = userId is { Length: > 0 } ? (Key: (string?)null, User: userId) : (Key: keyId, User: (string?)null);
        if (conversation.AssignedKeyId != assignee.Key || conversation.AssignedUserId != assignee.User)
        {
            await capacity.EnsureRoomAsync(assignee.User, assignee.Key, cancellationToken);
            message = coordinator.Assign(conversation, assignee.User, assignee.Key);
        }
        return await CommitAsync(conversation, message, cancellationToken);
    }

    private async Task CheckAssigneeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        // The key filter of the workspace applies: a key of another workspace is as unknown as one that never existed.
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken)
            ?? throw ApiException.NotFound("api_key", keyId);
        if (key.RevokedAt is not null || key.Kind != ApiKeyKind.Secret || (key.Scopes.Count > 0 && !key.Scopes.Contains(Scopes.Agent)))
        {
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidAssignee,
                $"The key {keyId} cannot answer conversations: only an active secret key with the `agent` scope (or no scope restriction) can be assigned.");
        }
    }

    private async Task CheckAssigneeUserAsync(string userId, CancellationToken cancellationToken)
    {
        // Users are not filtered by workspace (sign-in finds them first): filter here, so another workspace's user is unknown.
        var role = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.WorkspaceId == caller.WorkspaceId)
            .Select(u => u.Role).FirstOrDefaultAsync(cancellationToken) ?? throw ApiException.NotFound("user", userId);
        if (!Roles.ScopesOf(role).Contains(Scopes.Agent))
        {
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidAssignee,
                $"The user {userId} is a {role} and cannot answer conversations: assign an agent, admin or owner.");
        }
    }

    /// <summary>An agent's reply to the visitor, claiming the conversation if nobody has.</summary>
    public async Task<MessageResponse> ReplyAsync(string id, AgentMessageRequest request, string location, CancellationToken cancellationToken)
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
        var conversation = await OpenAsync(id, cancellationToken);
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; agents write only in conversations handed to a person (POST …/handoff first).");
        }
        if (!ActingAgent.IsHeld(conversation))
        {
            await capacity.EnsureRoomAsync(caller.UserId, caller.KeyId, cancellationToken);
            agent.Take(conversation);
            conversation.AssignedAt = time.GetUtcNow();
            conversation.AwaitingContactDetails = false;
            coordinator.Changed(EventTypes.ConversationAssigned, conversation);
        }
        var message = transcript.Append(MessageRole.Agent, text, author: await agent.AuthorAsync(cancellationToken));
        conversation.FirstAgentReplyAt ??= message.CreatedAt;
        conversation.AwaitingAgentSince = null;
        var response = MessageResponse.From(message);
        await transcript.CommitAsync(StatusCodes.Status201Created, () => response, cancellationToken, location);
        return response;
    }

    public async Task<HandoffActionResponse> ReturnToBotAsync(string id, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var conversation = await OpenAsync(id, cancellationToken);
        if (conversation.Status != ConversationStatus.Handoff)
        {
            throw ApiException.Conflict($"The conversation is {conversation.Status}; only a conversation in handoff can go back to the bot.");
        }
        conversation.Status = ConversationStatus.Open;
        conversation.ResolvedAt = time.GetUtcNow();
        conversation.AssignedKeyId = null;
        conversation.AssignedUserId = null;
        conversation.AwaitingAgentSince = null;
        conversation.AwaitingContactDetails = false;
        var message = transcript.Append(MessageRole.System, BackWithBotText);
        coordinator.Changed(EventTypes.ConversationReturnedToBot, conversation);
        return await CommitAsync(conversation, message, cancellationToken);
    }

    public async Task<HandoffActionResponse> CloseAsync(string id, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var conversation = await OpenAsync(id, cancellationToken);
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
        conversation.AwaitingAgentSince = null;
        conversation.AwaitingContactDetails = false;
        conversation.UpdatedAt = now;
        await coordinator.ClosedAsync(conversation, [], cancellationToken);
        return await CommitAsync(conversation, null, cancellationToken);
    }

    private async Task<Conversation> OpenAsync(string id, CancellationToken cancellationToken) =>
        await transcript.OpenAsync(id, cancellationToken) ?? throw ApiException.NotFound("conversation", id);

    private async Task<HandoffActionResponse> CommitAsync(Conversation conversation, Message? message, CancellationToken cancellationToken)
    {
        HandoffActionResponse? response = null;
        // Built once the conversation's counters are final (the commit bumps its version).
        await transcript.CommitAsync(StatusCodes.Status200OK, () => response = Respond(), cancellationToken);
        return response ?? Respond();

        HandoffActionResponse Respond() => new(ConversationResponse.From(conversation), message is null ? null : MessageResponse.From(message));
    }
}
