using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Guardrails;
using Parley.Engine.Ids;
using Parley.Engine.Turns;
using Parley.Server.Features.Leads;

namespace Parley.Server.Features.Handoff;

/// <summary>What the handoff stage decided in this turn, for the side-effects part to apply.</summary>
public sealed class HandoffTurn
{
    public string? Reason { get; set; }
    public HandoffNotice? Notice { get; set; }

    /// <summary>The email a visitor left when nobody could take over.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>The bot asked for an email instead of handing over, because nobody could answer; the conversation stays with the bot.</summary>
    public bool AskedForContact { get; set; }

    /// <summary>The visitor wrote to the person holding the conversation, who now owes them a reply.</summary>
    public bool AwaitsAgent { get; set; }
}

/// <summary>
/// Stage 4, last part: the escalation triggers that need the conversation's past (unanswered turns in a row), and the
/// move to a person when any stage set <see cref="TurnContext.HandoffReason"/>: the bot's answer is replaced by an
/// honest notice (the wait, or a request for contact details when nobody can answer). In a conversation already with
/// a person the bot stays quiet, except to take the contact details it asked for. Unanswered questions alone hand a
/// conversation over only when a person can take it now; otherwise the bot asks once for an email and keeps answering,
/// so the visitor is never left with nobody to talk to.
/// </summary>
public sealed partial class HandoffStage(ParleyDbContext db, HandoffCoordinator coordinator, HandoffTurn state, IdGenerator ids, TimeProvider time) : ITurnStage
{
    public TurnStage Stage => TurnStage.Generate;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.FindAsync([turn.ConversationId], cancellationToken)
            ?? throw new InvalidOperationException("Capture must load the conversation.");
        if (conversation.Status == ConversationStatus.Handoff)
        {
            turn.HandoffReason = null;
            state.AwaitsAgent = ActingAgent.IsHeld(conversation);
            if (conversation.AwaitingContactDetails)
            {
                var email = turn.Input.Text is { } text ? EmailAddress().Match(text) : Match.Empty;
                state.ContactEmail = email.Success ? email.Value : null;
                Reply(turn, email.Success
                    ? $"Thank you! We'll get back to you at {email.Value}."
                    : "To hear back from us, please leave your email address here.", GuardrailFlags.ContactDetailsRequested);
            }
            return;
        }

        var escalation = turn.Escalation;
        if (escalation.Enabled && escalation.UnansweredTurns > 0 && turn.UnansweredQuestion is not null && turn.HandoffReason is null)
        {
            var earlier = escalation.UnansweredTurns - 1;
            var recent = earlier == 0 ? [] : await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == conversation.Id && m.Role == MessageRole.Bot)
                .OrderByDescending(m => m.Id).Take(earlier).Select(m => m.Flags).ToListAsync(cancellationToken);
            if (recent.Count == earlier && recent.All(f => f != null && f.Contains(GuardrailFlags.Unanswered)))
            {
                turn.UserMessage = turn.UserMessage!.WithFlags([GuardrailFlags.UnansweredStreak]);
                var availability = await coordinator.NoticeAsync(conversation, escalation, cancellationToken);
                if (availability.AgentsAvailable)
                {
                    turn.HandoffReason = HandoffReasons.Unanswered;
                }
                else if (!conversation.AwaitingContactDetails && !await AskedForContactAsync(conversation.Id, cancellationToken))
                {
                    state.AskedForContact = true;
                    Reply(turn, escalation.ContactPrompt ?? HandoffCoordinator.DefaultContactPrompt, GuardrailFlags.ContactDetailsRequested);
                }
            }
        }

        if (conversation.AwaitingContactDetails && turn.HandoffReason is null
            && turn.Input.Text is { } written && EmailAddress().Match(written) is { Success: true } left)
        {
            // The visitor answers the bot's request for an email in an open conversation: thank them instead of a fallback.
            state.ContactEmail = left.Value;
            if (turn.UnansweredQuestion is not null)
            {
                turn.Replies.Clear();
            }
            Reply(turn, $"Thank you! We'll get back to you at {left.Value}.", null);
        }

        // A lead scored during this turn (a flow's capture-lead block) counts for the lead_score_above trigger too.
        if (escalation is { Enabled: true, LeadScoreAbove: { } minimum } && turn.HandoffReason is null)
        {
            var staged = db.ChangeTracker.Entries<Lead>()
                .Where(e => e.State is EntityState.Added or EntityState.Modified && e.Entity.ConversationId == conversation.Id)
                .Select(e => (int?)e.Entity.Score).Max();
            if (staged is { } score && (turn.LeadScore is null || score > turn.LeadScore))
            {
                turn.LeadScore = score;
            }
            if (turn.LeadScore is { } leadScore && leadScore > minimum)
            {
                turn.HandoffReason = HandoffReasons.LeadScore;
                turn.UserMessage = turn.UserMessage!.WithFlags([GuardrailFlags.LeadScore]);
                // The flow's messages of this turn (a thank-you after the capture) stay before the notice.
                turn.HandoffKeepsReplies = turn.Route == TurnRoute.Flow;
            }
        }

        if (turn.HandoffReason is not { } reason)
        {
            return;
        }
        var notice = await coordinator.NoticeAsync(conversation, escalation, cancellationToken);
        state.Reason = reason;
        state.Notice = notice;
        if (turn.HandoffKeepsReplies)
        {
            // Messages the flow sent on its way to the handoff (the handoff block's text) come before the notice.
            Reply(turn, notice.Text, notice.AgentsAvailable ? null : GuardrailFlags.ContactDetailsRequested);
            return;
        }
        var flags = turn.Replies.SelectMany(r => r.Flags ?? []).ToList();
        turn.Replies.Clear();
        Reply(turn, notice.Text, notice.AgentsAvailable ? null : GuardrailFlags.ContactDetailsRequested, flags);
    }

    private async Task<bool> AskedForContactAsync(string conversationId, CancellationToken cancellationToken)
    {
        var flags = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Role == MessageRole.Bot)
            .Select(m => m.Flags).ToListAsync(cancellationToken);
        return flags.Any(f => f != null && f.Contains(GuardrailFlags.ContactDetailsRequested));
    }

    private void Reply(TurnContext turn, string text, string? flag, IEnumerable<string>? more = null)
    {
        var flags = (more ?? []).Concat(flag is null ? [] : [flag]).Distinct().ToList();
        turn.Replies.Add(new TurnMessage(ids.New(IdPrefix.Message), MessageRole.Bot, text, time.GetUtcNow(), [], null, flags.Count > 0 ? flags : null));
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();
}

/// <summary>
/// Stage 5, first part: applies the handoff decided in stage 4 to the conversation and records <c>handoff.requested</c>;
/// stores contact details a visitor left and captures them as a lead. The side-effects stage then commits all of it with the turn's messages.
/// </summary>
public sealed class HandoffSideEffectsStage(ParleyDbContext db, HandoffCoordinator coordinator, HandoffTurn state, LeadCapture leads, TimeProvider time)
    : ITurnStage
{
    public TurnStage Stage => TurnStage.SideEffects;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (state.Reason is null && state.ContactEmail is null && !state.AskedForContact && !state.AwaitsAgent)
        {
            return;
        }
        var conversation = await db.Conversations.FindAsync([turn.ConversationId], cancellationToken)
            ?? throw new InvalidOperationException("Capture must load the conversation.");
        if (state.AwaitsAgent)
        {
            // The reply is owed from the visitor's first unanswered message: later ones do not restart the wait.
            conversation.AwaitingAgentSince ??= time.GetUtcNow();
        }
        if (state.AskedForContact)
        {
            conversation.AwaitingContactDetails = true;
        }
        if (state.Reason is { } reason)
        {
            coordinator.Begin(conversation, reason, state.Notice!);
        }
        if (state.ContactEmail is { } email)
        {
            var contact = await db.Contacts.FirstAsync(c => c.Id == conversation.ContactId, cancellationToken);
            contact.Email = email;
            conversation.AwaitingContactDetails = false;
            // The visitor left details instead of waiting: they become a lead, committed with this turn.
            await leads.StageAsync(db, new LeadCaptureRequest(
                conversation.BotId, conversation.Id, contact.Id, contact.Name, email, contact.Phone, null,
                new Dictionary<string, string> { ["source"] = "handoff_contact" }), cancellationToken);
        }
    }
}
