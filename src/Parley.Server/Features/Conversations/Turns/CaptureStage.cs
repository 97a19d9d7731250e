using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Ids;
using Parley.Engine.Turns;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Conversations.Transcript;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 1: validates the message, waits for the conversation's earlier writers and loads it with its bot, and applies
/// fresh visitor metadata.
/// </summary>
public sealed class CaptureStage(
    ParleyDbContext db, ConversationTranscript transcript, BotTurnSettingsCache bots, IdGenerator ids, TimeProvider time) : ITurnStage
{
    public TurnStage Stage => TurnStage.Capture;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        turn.UserText = TurnInputValidator.Validate(turn.Input);

        // From here on this turn has the conversation to itself: the turns before it have committed, those after it wait.
        // Stryker disable once String : callers act on the problem's status and code (tested); its wording may change.
        var conversation = await transcript.OpenAsync(turn.ConversationId, cancellationToken)
            ?? throw new TurnRejectedException(TurnRejection.NotFound, $"No conversation with id '{turn.ConversationId}' exists in this workspace.");
        var bot = await bots.GetAsync(db, conversation.BotId, cancellationToken);
        if (bot.DeletedAt is not null)
        {
            throw new TurnRejectedException(TurnRejection.Conflict, "The bot of this conversation has been deleted; it takes no more messages.");
        }

        if (turn.Input.Metadata is { } metadata)
        {
            MetadataValidation.Apply(conversation, new ConversationMetadataInput(
                metadata.PageUrl, metadata.Referrer, metadata.Utm?.ToDictionary(), metadata.Locale, metadata.UserAgent));
        }
        turn.Conversation = new TurnConversation(conversation.Id, conversation.BotId, conversation.ContactId, conversation.Status);
        turn.Bot = bot.Profile;
        turn.Guardrails = bot.Guardrails;
        turn.Escalation = bot.Escalation;
        if (turn.Escalation is { Enabled: true, LeadScoreAbove: not null } && conversation.HandoffRequestedAt is null)
        {
            // The lead this conversation already produced, for the lead_score_above trigger; it hands a conversation
            // over once: after a person has had it, the same lead does not hand it over again.
            turn.LeadScore = await db.Leads.AsNoTracking().Where(l => l.ConversationId == conversation.Id)
                .MaxAsync(l => (int?)l.Score, cancellationToken);
        }
        turn.UserMessage = new TurnMessage(ids.New(IdPrefix.Message), MessageRole.User, turn.UserText, time.GetUtcNow(), []);
    }
}
