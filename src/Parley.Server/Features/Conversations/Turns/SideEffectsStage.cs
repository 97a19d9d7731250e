using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Events;
using Parley.Engine.Turns;
using Parley.Server.Features.Events;
using Parley.Server.Features.Usage;
using Parley.Server.Infrastructure.Idempotency;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 5: stores the visitor's message, the bot's replies and the events they raise in one transaction (the outbox),
/// together with the idempotent response when the request carries a key.
/// </summary>
public sealed class SideEffectsStage(
    ParleyDbContext db, WorkspaceScope workspace, EventLog events, IdempotencyScope idempotency, UsageMeter usage) : ITurnStage
{
    private const int MaxConcurrencyRetries = 10;

    public TurnStage Stage => TurnStage.SideEffects;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var conversation = db.Conversations.Find(turn.ConversationId)!;
        var stored = new List<Message> { ToEntity(turn.UserMessage!, null) };
        stored.AddRange(turn.Replies.Select(reply => ToEntity(reply, turn.Timings.ToDictionary())));
        db.Messages.AddRange(stored);

        foreach (var message in stored)
        {
            events.Add(EventTypes.MessageCreated, conversation.Id, MessageResponse.From(message));
        }
        if (turn.UnansweredQuestion is { } question)
        {
            events.Add(EventTypes.QuestionUnanswered, conversation.Id,
                new UnansweredQuestionData(conversation.Id, turn.Bot!.Id, question, turn.UserMessage!.Id));
        }

        if (turn.Flow is { } flow)
        {
            conversation.FlowStateJson = flow.State.Serialize();
        }

        // Counted in the turn's transaction: a failed or replayed turn counts nothing.
        usage.CountTurn(db, workspace.WorkspaceId!, turn);

        var last = stored[^1].CreatedAt;
        conversation.LastMessageAt = last;
        conversation.UpdatedAt = last;
        var entry = db.Entry(conversation);
        var count = conversation.MessageCount;
        var version = conversation.Version;
        for (var attempt = 1; ; attempt++)
        {
            conversation.MessageCount = count + stored.Count;
            conversation.Version = version + 1;
            try
            {
                await idempotency.SaveChangesAsync(StatusCodes.Status200OK, () => TurnResponses.Build(turn, conversation), cancellationToken);
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // Another turn of this conversation committed first: count on top of it. Nothing of ours was written.
                var current = await entry.GetDatabaseValuesAsync(cancellationToken)
                    ?? throw new TurnRejectedException(TurnRejection.NotFound, $"No conversation with id '{conversation.Id}' exists in this workspace.");
                entry.OriginalValues.SetValues(current);
                count = current.GetValue<int>(nameof(Conversation.MessageCount));
                version = current.GetValue<int>(nameof(Conversation.Version));
            }
        }
        turn.Result = conversation;

        Message ToEntity(TurnMessage message, IReadOnlyDictionary<string, double>? timings) => new()
        {
            Id = message.Id,
            WorkspaceId = workspace.WorkspaceId!,
            ConversationId = turn.ConversationId,
            Role = message.Role,
            Text = message.Text,
            QuickReplies = [.. message.QuickReplies],
            Citations = message.Citations is { Count: > 0 } citations ? [.. citations] : null,
            Timings = timings is null ? null : new Dictionary<string, double>(timings),
            Usage = message.Usage,
            CreatedAt = message.CreatedAt,
            Flags = message.Flags is { Count: > 0 } flags ? [.. flags] : null,
        };
    }
}

/// <summary>The data of a <c>question.unanswered</c> event: a question the bot could not answer from its knowledge.</summary>
public sealed record UnansweredQuestionData(string ConversationId, string BotId, string Question, string MessageId);
