using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Events;
using Parley.Engine.Turns;
using Parley.Server.Features.Events;
using Parley.Server.Features.Usage;
using Parley.Server.Features.Conversations.Transcript;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 5: stages the visitor's message, the bot's replies, the events the turn raises and the usage they count, and
/// waits until this turn may write. The return stage adds the idempotent response and saves it all at once: the
/// outbox (webhook deliveries, emails, usage, analytics) joins that one save, in the turn's transaction.
/// </summary>
public sealed class SideEffectsStage(ParleyDbContext db, WorkspaceScope workspace, ConversationTranscript transcript, EventLog events, UsageMeter usage) : ITurnStage
{
    public TurnStage Stage => TurnStage.SideEffects;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        // Stryker disable once String : a programming error's message, for whoever breaks the order of the stages; no caller reads it.
        var conversation = transcript.Conversation ?? throw new InvalidOperationException("Capture must open the conversation.");
        transcript.Append(turn.UserMessage!);
        var timingsSoFar = turn.Timings.ToDictionary();
        foreach (var reply in turn.Replies)
        {
            transcript.AppendReply(reply, timingsSoFar);
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
        // Stryker disable once Statement : the return stage's commit waits the same; waiting here only counts the wait in this stage.
        await transcript.BeginWritingAsync(cancellationToken);
    }
}

/// <summary>The data of a <c>question.unanswered</c> event: a question the bot could not answer from its knowledge.</summary>
public sealed record UnansweredQuestionData(string ConversationId, string BotId, string Question, string MessageId);
