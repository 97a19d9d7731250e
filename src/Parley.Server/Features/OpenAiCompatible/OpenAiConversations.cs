using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>What the conversation already holds of a request: how many earlier user messages, and the stored answer when the new one is there too.</summary>
public sealed record RecognisedHistory(int RecognisedMessages, TurnResponse? StoredAnswer);

/// <summary>
/// Finds the conversation a request continues, and recognises the messages of a client that resends the whole history
/// with every request, so that nothing it resends is stored twice.
/// </summary>
public sealed class OpenAiConversations(ParleyDbContext db)
{
    /// <summary>The request header naming the conversation to continue; every answer carries it too.</summary>
    public const string Header = "X-Parley-Conversation";

    /// <summary>
    /// The conversation named by <see cref="Header"/>; else the latest conversation of the contact whose external id is
    /// <paramref name="user"/> with this bot that is not closed; else null (a new one is started).
    /// </summary>
    public async Task<Conversation?> FindAsync(Bot bot, string? conversationId, string? user, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(conversationId))
        {
            var named = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken)
                ?? throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.NotFound,
                    $"No conversation with id '{conversationId}' exists in this workspace.", new Dictionary<string, string[]> { [Header] = ["Unknown conversation."] });
            if (named.BotId != bot.Id)
            {
                throw ApiException.Invalid(Header, $"The conversation '{conversationId}' is with the bot '{named.BotId}', not '{bot.Id}'.");
            }
            return named;
        }
        if (user is null)
        {
            return null;
        }
        return await db.Conversations.AsNoTracking()
            .Where(c => c.BotId == bot.Id && c.Status != ConversationStatus.Closed
                && db.Contacts.Any(contact => contact.Id == c.ContactId && contact.ExternalId == user))
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Compares the request's user messages with the conversation's, oldest first. When the conversation already holds
    /// every one of them, the new message included, the request is a resend of one already answered (a retry after a
    /// lost answer): the stored answer is returned and no turn runs. Otherwise only the new message is the visitor's:
    /// earlier messages the conversation does not hold (history from elsewhere, edited messages) are not stored.
    /// </summary>
    public async Task<RecognisedHistory> RecogniseAsync(Conversation conversation, ChatRequest request, CancellationToken cancellationToken)
    {
        var stored = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Role == MessageRole.User)
            .OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Text })
            .ToListAsync(cancellationToken);
        var earlier = request.EarlierUserTexts;
        var recognised = 0;
        while (recognised < earlier.Count && recognised < stored.Count && stored[recognised].Text == earlier[recognised])
        {
            recognised++;
        }
        var isResend = recognised == earlier.Count && stored.Count == earlier.Count + 1 && stored[^1].Text == request.Text;
        if (!isResend)
        {
            return new RecognisedHistory(recognised, null);
        }
        var userMessageId = stored[^1].Id;
        var answer = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && string.Compare(m.Id, userMessageId) >= 0)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var responses = answer.Select(MessageResponse.From).ToList();
        return new RecognisedHistory(recognised, new TurnResponse(
            [.. responses.Skip(1).Where(m => m.Role is MessageRole.Bot or MessageRole.Agent)], responses[0], ConversationResponse.From(conversation)));
    }
}
