using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Flows;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 3, first part: assembles what the deciding and the answering read: the recent history, what is known of the
/// contact, and the conversation's flow session (which decides whether the flow answers).
/// </summary>
public sealed class ConversationContextStage(ParleyDbContext db, ConversationTranscript transcript, FlowConversations flows) : ITurnStage
{
    /// <summary>How many earlier messages a responder sees.</summary>
    public const int HistoryWindow = 20;

    private static readonly CompiledQueryPerModel<Func<ParleyDbContext, string, IAsyncEnumerable<HistoryRow>>> RecentMessages =
        new(() => EF.CompileAsyncQuery((ParleyDbContext db, string conversationId) =>
            db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == conversationId)
                .OrderByDescending(m => m.Id)
                .Take(HistoryWindow)
                .Select(m => new HistoryRow(m.Id, m.Role, m.Text, m.CreatedAt, m.Flags))));

    private static readonly CompiledQueryPerModel<Func<ParleyDbContext, string, CancellationToken, Task<ContactRow?>>> ContactById =
        new(() => EF.CompileAsyncQuery((ParleyDbContext db, string contactId, CancellationToken _) =>
            db.Contacts.AsNoTracking().Where(c => c.Id == contactId).Select(c => new ContactRow(c.Name, c.Attributes)).FirstOrDefault()));

    public TurnStage Stage => TurnStage.Route;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        // Stryker disable once String : a programming error's message, for whoever breaks the order of the stages; no caller reads it.
        var conversation = transcript.Conversation ?? throw new InvalidOperationException("Capture must open the conversation.");
        // Stryker disable once String : a programming error's message, for whoever breaks the order of the stages; no caller reads it.
        var bot = turn.Bot ?? throw new InvalidOperationException("Capture must load the bot.");
        var usesModel = bot.Model is { UsesModelProvider: true };
        // Only the answerer (for follow-up questions), models and flows read the history; a bot without any of them does not pay for it.
        // Stryker disable once Conditional : reading the history always gives the same replies; the condition only spares a query.
        turn.History = bot.HasKnowledge || usesModel ? await HistoryAsync(conversation.Id, cancellationToken) : [];
        if (usesModel)
        {
            turn.ContactAttributes = await ContactAttributesAsync(conversation.ContactId, cancellationToken);
        }
        turn.Flow = await flows.LoadAsync(conversation, bot, turn.History, cancellationToken);
    }

    /// <summary>What a model may know of the contact: the name and custom attributes (not email or phone).</summary>
    private async Task<IReadOnlyDictionary<string, string>> ContactAttributesAsync(string contactId, CancellationToken cancellationToken)
    {
        var contact = await ContactById.For(db)(db, contactId, cancellationToken);
        // Stryker disable once NullCoalescing : every conversation has its contact (erasure redacts a contact, it does not delete it).
        var known = new Dictionary<string, string>(contact?.Attributes ?? [], StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(contact?.Name))
        {
            known["name"] = contact.Name;
        }
        return known;
    }

    private async Task<IReadOnlyList<TurnMessage>> HistoryAsync(string conversationId, CancellationToken cancellationToken)
    {
        var recent = new List<TurnMessage>(HistoryWindow);
        await foreach (var m in RecentMessages.For(db)(db, conversationId).WithCancellation(cancellationToken))
        {
            recent.Add(new TurnMessage(m.Id, m.Role, m.Text, m.CreatedAt, [], Flags: m.Flags));
        }
        recent.Reverse();
        return recent;
    }

    private sealed record HistoryRow(string Id, MessageRole Role, string Text, DateTimeOffset CreatedAt, List<string>? Flags);

    private sealed record ContactRow(string? Name, Dictionary<string, string> Attributes);
}
