using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Engine.Responders;
using Parley.Engine.Turns;
using Parley.Engine.Escalation;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Flows;
using Parley.Server.Features.Handoff;
using Parley.Server.Features.Events;
using Parley.Server.Features.Usage;
using Parley.Engine.Usage;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Conversations;

/// <summary>
/// Opens conversations: finds or creates the contact, stores the conversation with the bot's greeting, and records
/// <c>conversation.started</c> and <c>message.created</c>. Changes are staged; the caller commits them through
/// <see cref="ConversationTranscript.CommitAsync"/>.
/// </summary>
public sealed class ConversationStarter(
    ParleyDbContext db, WorkspaceScope workspace, EventLog events, IdGenerator ids, TimeProvider time, FlowConversations flows,
    HandoffCoordinator handoff, UsageMeter usage, QuotaGuard quota, ConversationTranscript transcript)
{
    public const string ApiChannel = "api";
    public const string WidgetChannel = "widget";

    /// <summary>
    /// The contact with <paramref name="input"/>'s fields applied: <paramref name="existing"/> when given, else the one
    /// with the same external id, else a new one.
    /// </summary>
    public async Task<Contact> FindOrCreateContactAsync(ContactInput? input, CancellationToken cancellationToken, Contact? existing = null)
    {
        var errors = new Dictionary<string, string[]>();
        var externalId = Check(errors, "contact.external_id", input?.ExternalId, 200);
        var name = Check(errors, "contact.name", input?.Name, 200);
        var email = Check(errors, "contact.email", input?.Email, 320);
        var phone = Check(errors, "contact.phone", input?.Phone, 40);
        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.StartsWith('@') || email.EndsWith('@')))
        {
            errors["contact.email"] = ["contact.email must be an email address."];
        }
        if (input?.Attributes is { } attributes && (attributes.Count > 50 || attributes.Any(a => a.Key.Length > 100 || a.Value.Length > 1000)))
        {
            errors["contact.attributes"] = ["contact.attributes holds at most 50 entries; keys up to 100 and values up to 1000 characters."];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }

        var now = time.GetUtcNow();
        var contact = existing ?? (externalId is null ? null
            : await db.Contacts.FirstOrDefaultAsync(c => c.ExternalId == externalId, cancellationToken));
        if (contact is null)
        {
            contact = ConversationRows.Contact(ids, workspace.WorkspaceId!, now);
            contact.ExternalId = externalId;
            db.Contacts.Add(contact);
        }
        contact.Name = name ?? contact.Name;
        contact.Email = email ?? contact.Email;
        contact.Phone = phone ?? contact.Phone;
        if (input?.Attributes is { } given)
        {
            contact.Attributes = new Dictionary<string, string>(contact.Attributes.Concat(given).GroupBy(p => p.Key).Select(g => g.Last()));
        }
        contact.LastSeenAt = now;
        return contact;
    }

    /// <summary>
    /// Opens the conversation. A bot with a published flow pins its live version and runs it from the start: the
    /// flow's first messages are the greeting. Otherwise the bot's greeting, if any, opens the conversation.
    /// </summary>
    public async Task<StartConversationResponse> StartAsync(
        Bot bot, Contact contact, string channel, ConversationMetadataInput? metadata, string? fallbackUserAgent, CancellationToken cancellationToken)
    {
        // Plan quota (stage 2 of opening a conversation): refused before anything is staged.
        await quota.EnsureAllowedAsync(workspace.WorkspaceId!, [UsageMetrics.ConversationsStarted], cancellationToken);
        var now = time.GetUtcNow();
        var conversation = ConversationRows.Conversation(ids, bot, contact, channel, ConversationStatus.Open, now);
        MetadataValidation.Apply(conversation, metadata, fallbackUserAgent);
        transcript.Start(conversation);
        usage.Count(db, workspace.WorkspaceId!, UsageMetrics.ConversationsStarted);

        var greetings = new List<TurnMessage>();
        void Say(string text, IReadOnlyList<QuickReply> quickReplies, IReadOnlyList<Citation>? citations) =>
            greetings.Add(new TurnMessage(ids.New(IdPrefix.Message), MessageRole.Bot, text, now, quickReplies, citations));

        (string Reason, HandoffNotice Notice)? handoffAtStart = null;
        if (await flows.StartAsync(bot, conversation, contact, cancellationToken) is { } flow)
        {
            foreach (var reply in flow.Replies)
            {
                Say(GenerateStage.Truncate(reply.Text, GenerateStage.MaxReplyLength), reply.QuickReplies, reply.Citations);
            }
            if (flow.HandoffReason is { } reason)
            {
                // A handoff block reached before the visitor said anything: the conversation starts with a person,
                // after the flow's messages and the same notice a handoff during a turn gives.
                var notice = await handoff.NoticeAsync(conversation, EscalationSettings.FromJson(bot.EscalationJson), cancellationToken);
                Say(notice.Text, [], null);
                handoffAtStart = (reason, notice);
            }
        }
        else if (!string.IsNullOrEmpty(bot.Greeting))
        {
            Say(bot.Greeting, [], null);
        }

        // conversation.started comes first in the log and describes the conversation with its opening messages.
        var started = ConversationResponse.From(conversation) with
        {
            MessageCount = greetings.Count,
            LastMessageAt = greetings.Count > 0 ? now : null,
        };
        events.Add(EventTypes.ConversationStarted, conversation.Id, started);
        var messages = greetings.Select(greeting => MessageResponse.From(transcript.Append(greeting))).ToList();
        if (handoffAtStart is var (handoffReason, handoffNotice))
        {
            handoff.Begin(conversation, handoffReason, handoffNotice);
            return new StartConversationResponse(ConversationResponse.From(conversation), messages);
        }
        return new StartConversationResponse(started, messages);
    }

    private static string? Check(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }
        if (trimmed.Length > max)
        {
            errors[field] = [$"{field} may be at most {max} characters."];
        }
        return trimmed;
    }
}
