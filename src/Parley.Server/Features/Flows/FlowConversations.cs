using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Flows;
using Parley.Engine.Responders;
using Parley.Engine.Turns;
using Parley.Server.Features.Bots;

namespace Parley.Server.Features.Flows;

/// <summary>
/// Connects conversations to flows: a new conversation pins the bot's live version and runs it from the start (its
/// messages are the greeting); each later turn loads the pinned version and the conversation's state.
/// </summary>
public sealed class FlowConversations(
    ParleyDbContext db, BotTurnSettingsCache bots, IResponder responder, IFlowHost host, TimeProvider time)
{
    /// <summary>
    /// Runs the bot's live flow for a new conversation and stores the version and state on it. Returns the flow's
    /// first messages, or null when the bot has no published flow.
    /// </summary>
    public async Task<FlowOutcome?> StartAsync(Bot bot, Conversation conversation, Contact contact, CancellationToken cancellationToken)
    {
        if (bot.FlowVersions.Count == 0)
        {
            return null;
        }
        var version = bot.FlowVersions[^1];
        // A published version never changes, so its parsed graph is kept with the bot's settings until the bot changes.
        var settings = await bots.GetAsync(db, bot.Id, cancellationToken);
        var graph = settings.FlowGraphs.GetOrAdd(version.Number, _ => FlowGraph.Parse(version.Graph));
        var profile = new BotProfile(bot.Id, bot.Name, bot.Instructions, bot.Greeting, bot.FallbackText);
        var context = Context(profile, conversation, contact, bot.BusinessHoursJson, []);
        var outcome = await new FlowRunner(responder, host).StartAsync(graph, context, cancellationToken);
        conversation.FlowVersion = version.Number;
        conversation.FlowStateJson = outcome.State.Serialize();
        return outcome;
    }

    /// <summary>The conversation's flow session for a turn, or null when it has no flow or its flow is over.</summary>
    public async Task<FlowSession?> LoadAsync(
        Conversation conversation, BotProfile bot, IReadOnlyList<TurnMessage> history, CancellationToken cancellationToken)
    {
        if (conversation.FlowVersion is not { } number || conversation.FlowStateJson is null)
        {
            return null;
        }
        var state = FlowState.Deserialize(conversation.FlowStateJson);
        if (state.Finished)
        {
            return null;
        }
        var settings = await bots.GetAsync(db, conversation.BotId, cancellationToken);
        if (!settings.FlowGraphs.TryGetValue(number, out var graph))
        {
            var versions = await db.Bots.IgnoreQueryFilters([QueryFilters.NotDeleted]).AsNoTracking()
                .Where(b => b.Id == conversation.BotId)
                .Select(b => b.FlowVersions)
                .FirstAsync(cancellationToken);
            if (versions.FirstOrDefault(v => v.Number == number) is not { } version)
            {
                return null;
            }
            graph = settings.FlowGraphs.GetOrAdd(number, _ => FlowGraph.Parse(version.Graph));
        }
        var contact = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == conversation.ContactId, cancellationToken);
        return new FlowSession(number, graph, state, Context(bot, conversation, contact, settings.BusinessHoursJson, history));
    }

    private FlowContext Context(
        BotProfile bot, Conversation conversation, Contact contact, string? businessHours, IReadOnlyList<TurnMessage> history)
    {
        var attributes = new Dictionary<string, string>(contact.Attributes, StringComparer.Ordinal);
        if (contact.Name is not null)
        {
            attributes["name"] = contact.Name;
        }
        if (contact.Email is not null)
        {
            attributes["email"] = contact.Email;
        }
        if (contact.Phone is not null)
        {
            attributes["phone"] = contact.Phone;
        }
        return new FlowContext(bot, conversation.Id, contact.Id, time.GetUtcNow(), attributes, conversation.PageUrl,
            conversation.Utm, businessHours, history);
    }
}
