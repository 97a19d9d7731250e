using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Protection;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Engine.Leads;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Events;

namespace Parley.Server.Features.Leads;

/// <summary>What the <c>capture lead</c> block (or the API) hands over: the conversation and the fields it collected.</summary>
public sealed record LeadCaptureRequest(
    string BotId, string ConversationId, string ContactId,
    string? Name, string? Email, string? Phone, string? Company,
    IReadOnlyDictionary<string, string> Custom);

/// <summary>The lead after the capture: <paramref name="Created"/> is false when an existing lead was updated.</summary>
public sealed record LeadCaptureResult(string LeadId, bool Created, int Score);

/// <summary>
/// Captures leads: one per normalised email and workspace (found through the blind index), scored by the configured
/// rules, with <c>lead.captured</c> or <c>lead.updated</c> recorded beside it. Nothing is saved here: the caller's
/// unit of work (a turn, or an API request) commits the lead and its event together.
/// </summary>
public sealed class LeadCapture(FieldCipher cipher, IdGenerator ids, TimeProvider time, IOptionsMonitor<LeadOptions> options)
{
    /// <summary>
    /// Adds or updates the lead and its event in <paramref name="db"/> without saving. Throws
    /// <see cref="LeadInputException"/> when a field is not valid.
    /// </summary>
    public async Task<LeadCaptureResult> StageAsync(ParleyDbContext db, LeadCaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.CurrentValue;
        var fields = LeadFieldRules.Normalize(
            new LeadFields(request.Name, request.Email, request.Phone, request.Company, new Dictionary<string, string>(request.Custom)),
            settings.DefaultPhoneRegion);

        var conversation = db.Conversations.Local.FirstOrDefault(c => c.Id == request.ConversationId)
            ?? await db.Conversations.FirstOrDefaultAsync(c => c.Id == request.ConversationId, cancellationToken)
            ?? throw new LeadInputException(new Dictionary<string, string[]> { ["conversation_id"] = [$"No conversation with id '{request.ConversationId}' exists in this workspace."] });
        var transcript = await TranscriptAsync(db, conversation.Id, cancellationToken);

        var lead = await FindAsync(db, fields.Email, conversation.Id, cancellationToken);
        var now = time.GetUtcNow();
        var created = lead is null;
        if (lead is null)
        {
            lead = new Lead
            {
                Id = ids.New(IdPrefix.Lead),
                WorkspaceId = conversation.WorkspaceId,
                Status = LeadStatus.New,
                CreatedAt = now,
            };
            db.Leads.Add(lead);
        }
        lead.BotId = request.BotId;
        lead.ConversationId = conversation.Id;
        lead.ContactId = request.ContactId;
        lead.Name = fields.Name ?? lead.Name;
        lead.Email = fields.Email ?? lead.Email;
        lead.Phone = fields.Phone ?? lead.Phone;
        lead.Company = fields.Company ?? lead.Company;
        if (fields.Custom is { Count: > 0 } custom)
        {
            lead.Custom = new Dictionary<string, string>(lead.Custom.Concat(custom).GroupBy(p => p.Key).Select(g => g.Last()));
        }
        lead.PageUrl = conversation.PageUrl;
        lead.Referrer = conversation.Referrer;
        lead.Utm = new Dictionary<string, string>(conversation.Utm);
        lead.Score = Score(settings.Scoring, lead, transcript);
        lead.UpdatedAt = now;
        lead.Version++;

        new EventLog(db, new Data.Tenancy.WorkspaceScope(), ids, time).Add(
            created ? EventTypes.LeadCaptured : EventTypes.LeadUpdated, conversation.Id, LeadEventData.From(lead, transcript), lead.WorkspaceId);
        return new LeadCaptureResult(lead.Id, created, lead.Score);
    }

    /// <summary>The score of <paramref name="lead"/> under <paramref name="rules"/>, given its conversation's transcript.</summary>
    public static int Score(LeadScoringRules rules, Lead lead, IReadOnlyList<MessageResponse> transcript) =>
        LeadScorer.Score(rules, ScoreInput(lead, transcript));

    /// <summary>What <paramref name="lead"/>'s score is computed from, given its conversation's transcript.</summary>
    public static LeadScoreInput ScoreInput(Lead lead, IReadOnlyList<MessageResponse> transcript) => new(
        lead.Name is not null, lead.Email is not null, lead.Phone is not null, lead.Company is not null, lead.Custom.Count,
        [.. transcript.Where(m => m.Role == MessageRole.User).Select(m => m.Text)], lead.PageUrl, lead.Utm);

    /// <summary>The conversation's messages, oldest first, including those staged in this unit of work.</summary>
    public static async Task<IReadOnlyList<MessageResponse>> TranscriptAsync(ParleyDbContext db, string? conversationId, CancellationToken cancellationToken)
    {
        if (conversationId is null)
        {
            return [];
        }
        var stored = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId).ToListAsync(cancellationToken);
        var staged = db.Messages.Local.Where(m => m.ConversationId == conversationId);
        return [.. stored.Concat(staged).DistinctBy(m => m.Id).OrderBy(m => m.Id, StringComparer.Ordinal).Select(MessageResponse.From)];
    }

    private async Task<Lead?> FindAsync(ParleyDbContext db, string? email, string conversationId, CancellationToken cancellationToken)
    {
        if (cipher.EmailIndex(email) is { } index)
        {
            return db.Leads.Local.FirstOrDefault(l => cipher.EmailIndex(l.Email) == index)
                ?? await db.Leads.FirstOrDefaultAsync(l => l.EmailIndex == index, cancellationToken);
        }
        // Without an email, details given bit by bit in one conversation make one lead.
        return db.Leads.Local.FirstOrDefault(l => l.ConversationId == conversationId)
            ?? await db.Leads.Where(l => l.ConversationId == conversationId).OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
