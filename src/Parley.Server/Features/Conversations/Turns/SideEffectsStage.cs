using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Events;
using Parley.Engine.Turns;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Idempotency;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 5: stores the visitor's message, the bot's replies and the events they raise in one transaction (the outbox),
/// together with the idempotent response when the request carries a key.
/// </summary>
public sealed class SideEffectsStage(ParleyDbContext db, WorkspaceScope workspace, EventLog events, IdempotencyScope idempotency) : ITurnStage
{
    public TurnStage Stage => TurnStage.SideEffects;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var conversation = db.Conversations.Find(turn.ConversationId)!;
        var stored = new List<Message> { ToEntity(turn.UserMessage!, null) };
        stored.AddRange(turn.Replies.Select(reply => ToEntity(reply, turn.Timings.ToDictionary())));
        db.Messages.AddRange(stored);

        var last = stored[^1].CreatedAt;
        conversation.MessageCount += stored.Count;
        conversation.LastMessageAt = last;
        conversation.UpdatedAt = last;
        foreach (var message in stored)
        {
            events.Add(EventTypes.MessageCreated, conversation.Id, MessageResponse.From(message));
        }

        await idempotency.SaveChangesAsync(StatusCodes.Status200OK, () => TurnResponses.Build(turn, conversation), cancellationToken);
        turn.Result = conversation;

        Message ToEntity(TurnMessage message, IReadOnlyDictionary<string, double>? timings) => new()
        {
            Id = message.Id,
            WorkspaceId = workspace.WorkspaceId!,
            ConversationId = turn.ConversationId,
            Role = message.Role,
            Text = message.Text,
            QuickReplies = [.. message.QuickReplies],
            Timings = timings is null ? null : new Dictionary<string, double>(timings),
            CreatedAt = message.CreatedAt,
        };
    }
}
