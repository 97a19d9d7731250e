using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Analytics;
using Parley.Engine.Events;
using Parley.Engine.Ids;

namespace Parley.Server.Features.Analytics;

/// <summary>
/// Reads the <c>question.unanswered</c> events of a range and groups them per bot (<see cref="KnowledgeGaps"/>). A
/// group is answered by the first knowledge source of its bot added after the group was last asked whose title asks
/// the same thing: the dashboard's "add an answer" titles the new text with the question, and an integrator can do the
/// same through the knowledge API. Asked again after that, the group is open again.
/// </summary>
public sealed class KnowledgeGapFinder
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The most questions read for one answer: the latest of the range, so memory and time stay bounded.</summary>
    public const int MaxQuestions = 10_000;

    public async Task<KnowledgeGapsResponse> FindAsync(
        ParleyDbContext db, string? botId, DateOnly from, DateOnly to, int limit, bool includeAnswered, CancellationToken cancellationToken)
    {
        var start = AnalyticsDays.Start(from);
        var end = AnalyticsDays.Start(to.AddDays(1));
        // Ids are time-ordered: the range is a range of the (workspace, type, id) index, widened a day either side.
        var idFrom = IdGenerator.LowestFor(IdPrefix.Event, start.AddDays(-1));
        var idTo = IdGenerator.LowestFor(IdPrefix.Event, end.AddDays(1));
        var events = await (
                from e in db.Events.AsNoTracking()
                join c in db.Conversations.AsNoTracking() on e.ConversationId equals c.Id
                where e.Type == EventTypes.QuestionUnanswered && string.Compare(e.Id, idFrom) >= 0 && string.Compare(e.Id, idTo) < 0
                    && e.CreatedAt >= start && e.CreatedAt < end && (botId == null || c.BotId == botId)
                orderby e.Id descending
                select new { c.BotId, ConversationId = c.Id, e.CreatedAt, e.DataJson })
            .Take(MaxQuestions)
            .ToListAsync(cancellationToken);

        var groups = events
            .Select(e => (e.BotId, Question: QuestionOf(e.DataJson) is { } text ? new AskedQuestion(text, e.CreatedAt, e.ConversationId) : null))
            .Where(e => e.Question is not null)
            .GroupBy(e => e.BotId, StringComparer.Ordinal)
            .SelectMany(bot => KnowledgeGaps.Group(bot.Select(e => e.Question!)).Select(g => (BotId: bot.Key, Group: g)))
            .ToList();

        var answers = await AnswersAsync(db, groups, cancellationToken);
        var gaps = groups
            .Select(g => (g.BotId, g.Group, Answer: answers.FirstOrDefault(a => a.BotId == g.BotId && a.CreatedAt > g.Group.LastAskedAt && KnowledgeGaps.AreAlike(g.Group.Terms, a.Terms))))
            .Where(g => includeAnswered || g.Answer.Id is null)
            .OrderByDescending(g => g.Group.Count).ThenByDescending(g => g.Group.LastAskedAt)
            .ThenBy(g => g.Group.Question, StringComparer.Ordinal).ThenBy(g => g.BotId, StringComparer.Ordinal)
            .Select(g => new KnowledgeGap(g.BotId, g.Group.Question, g.Group.Count, g.Group.FirstAskedAt, g.Group.LastAskedAt,
                g.Group.Wordings, g.Group.ConversationIds, g.Answer.Id, g.Answer.Id is null ? null : g.Answer.CreatedAt))
            .ToList();
        return new KnowledgeGapsResponse(botId, from, to, events.Count, gaps.Count, [.. gaps.Take(limit)]);
    }

    /// <summary>The knowledge sources, oldest first, that could answer a group: of its bots, added after the earliest group was last asked.</summary>
    private static async Task<List<(string Id, string BotId, DateTimeOffset CreatedAt, IReadOnlySet<string> Terms)>> AnswersAsync(
        ParleyDbContext db, List<(string BotId, QuestionGroup Group)> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return [];
        }
        var botIds = groups.Select(g => g.BotId).Distinct().ToList();
        var since = groups.Min(g => g.Group.LastAskedAt);
        var sources = await db.KnowledgeSources.AsNoTracking()
            .Where(k => botIds.Contains(k.BotId) && k.CreatedAt > since)
            .OrderBy(k => k.Id)
            .Select(k => new { k.Id, k.BotId, k.CreatedAt, k.Title })
            .ToListAsync(cancellationToken);
        return [.. sources.Select(s => (s.Id, s.BotId, s.CreatedAt, KnowledgeGaps.TermsOf(s.Title)))];
    }

    private static string? QuestionOf(string dataJson)
    {
        using var document = JsonDocument.Parse(dataJson);
        return document.RootElement.TryGetProperty("question", out var question) && question.ValueKind == JsonValueKind.String ? question.GetString() : null;
    }
}
