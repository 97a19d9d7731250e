using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Analytics;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Analytics;

/// <summary>
/// Computes the daily roll-ups of a range of UTC days from the stored history (docs/analytics.md), for the workspace
/// the context is scoped to. Every figure belongs to the day of the record it counts, so a day's rows depend only on
/// what happened that day (and, for engagement and handoff waits, on what came before it in the same conversation):
/// computing a day twice gives the same rows.
/// </summary>
public sealed class AnalyticsCalculator(TimeProvider time)
{
    /// <summary>The pseudo-stage holding the whole turn: the sum of the stages a reply recorded.</summary>
    public const string TotalStage = "total";

    /// <summary>
    /// Rows are found by id first: ids are time-ordered (<see cref="IdGenerator.LowestFor"/>), so a day is a range of
    /// the primary key, read without scanning the table; the range is widened by this much either side, and the
    /// timestamps then decide exactly.
    /// </summary>
    private static readonly TimeSpan IdMargin = TimeSpan.FromDays(1);

    /// <summary>How long after a visitor message its bot reply may be written and still count as its answer.</summary>
    private static readonly TimeSpan ReplyLookahead = TimeSpan.FromMinutes(5);

    private static readonly string[] CountedEvents =
        [EventTypes.QuestionUnanswered, EventTypes.HandoffRequested, EventTypes.ConversationClosed, EventTypes.LeadCaptured];

    /// <summary>The rows of the days <paramref name="from"/> … <paramref name="to"/> (inclusive) with any activity, for one bot or all.</summary>
    public async Task<List<AnalyticsDailyRollup>> ComputeAsync(
        ParleyDbContext db, string workspaceId, DateOnly from, DateOnly to, string? botId, CancellationToken cancellationToken)
    {
        var start = AnalyticsDays.Start(from);
        var end = AnalyticsDays.Start(to.AddDays(1));
        var now = time.GetUtcNow();
        var rows = new Dictionary<(string BotId, DateOnly Day), AnalyticsDailyRollup>();
        AnalyticsDailyRollup Row(string bot, DateTimeOffset at)
        {
            var key = (bot, AnalyticsDays.Of(at));
            if (!rows.TryGetValue(key, out var row))
            {
                row = new AnalyticsDailyRollup { WorkspaceId = workspaceId, BotId = bot, Day = key.Item2, ComputedAt = now };
                rows[key] = row;
            }
            return row;
        }
        bool InRange(DateTimeOffset at) => at >= start && at < end;

        var (conversationsFrom, conversationsTo) = IdRange(IdPrefix.Conversation, start, end);
        var conversations = await db.Conversations.AsNoTracking()
            .Where(c => string.Compare(c.Id, conversationsFrom) >= 0 && string.Compare(c.Id, conversationsTo) < 0)
            .Where(c => c.CreatedAt >= start && c.CreatedAt < end && (botId == null || c.BotId == botId))
            .Select(c => new { c.BotId, c.CreatedAt })
            .ToListAsync(cancellationToken);
        foreach (var conversation in conversations)
        {
            Row(conversation.BotId, conversation.CreatedAt).ConversationsStarted++;
        }

        var lookaheadEnd = end + ReplyLookahead;
        var (messagesFrom, messagesTo) = IdRange(IdPrefix.Message, start, lookaheadEnd);
        var messages = await (
                from m in db.Messages.AsNoTracking()
                join c in db.Conversations.AsNoTracking() on m.ConversationId equals c.Id
                where string.Compare(m.Id, messagesFrom) >= 0 && string.Compare(m.Id, messagesTo) < 0
                    && m.CreatedAt >= start && m.CreatedAt < lookaheadEnd && (botId == null || c.BotId == botId)
                select new { m.Id, m.ConversationId, c.BotId, ConversationCreatedAt = c.CreatedAt, m.Role, m.CreatedAt, m.Timings, m.Usage, m.Flags, m.Citations })
            .ToListAsync(cancellationToken);

        var (eventsFrom, eventsTo) = IdRange(IdPrefix.Event, start, end);
        var events = await (
                from e in db.Events.AsNoTracking()
                join c in db.Conversations.AsNoTracking() on e.ConversationId equals c.Id
                where string.Compare(e.Id, eventsFrom) >= 0 && string.Compare(e.Id, eventsTo) < 0
                    && e.CreatedAt >= start && e.CreatedAt < end && CountedEvents.Contains(e.Type) && (botId == null || c.BotId == botId)
                select new { e.Type, e.ConversationId, c.BotId, e.CreatedAt, e.DataJson })
            .ToListAsync(cancellationToken);
        var unansweredMessageIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var row = Row(e.BotId, e.CreatedAt);
            switch (e.Type)
            {
                case EventTypes.QuestionUnanswered:
                    row.QuestionsUnanswered++;
                    if (MessageIdOf(e.DataJson) is { } messageId)
                    {
                        unansweredMessageIds.Add(messageId);
                    }
                    break;
                case EventTypes.HandoffRequested:
                    row.HandoffsRequested++;
                    break;
                case EventTypes.ConversationClosed:
                    row.ConversationsClosed++;
                    break;
                case EventTypes.LeadCaptured:
                    row.LeadsCaptured++;
                    break;
            }
        }

        var engagedBefore = new HashSet<string>(StringComparer.Ordinal);
        // Only a conversation started before the range can have had a visitor message before it.
        var visitorConversations = messages.Where(m => m.Role == MessageRole.User && InRange(m.CreatedAt) && m.ConversationCreatedAt < start)
            .Select(m => m.ConversationId).Distinct().ToList();
        if (visitorConversations.Count > 0)
        {
            engagedBefore.UnionWith(await db.Messages.AsNoTracking()
                .Where(m => m.Role == MessageRole.User && m.CreatedAt < start && visitorConversations.Contains(m.ConversationId))
                .Select(m => m.ConversationId).Distinct()
                .ToListAsync(cancellationToken));
        }

        var stageLatency = new Dictionary<(string BotId, DateOnly Day), Dictionary<string, LogHistogram>>();
        var tokens = new Dictionary<(string BotId, DateOnly Day, string Provider, string Model), long[]>();
        foreach (var conversation in messages.GroupBy(m => m.ConversationId, StringComparer.Ordinal))
        {
            var ordered = conversation.OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var m = ordered[i];
                if (!InRange(m.CreatedAt))
                {
                    continue;
                }
                var row = Row(m.BotId, m.CreatedAt);
                switch (m.Role)
                {
                    case MessageRole.User:
                        row.VisitorMessages++;
                        if (!engagedBefore.Contains(m.ConversationId))
                        {
                            engagedBefore.Add(m.ConversationId);
                            row.EngagedConversations++;
                        }
                        // A question the answerer took: a reply grounded in the knowledge base or written by a model.
                        if (i + 1 < ordered.Count && ordered[i + 1] is { Role: MessageRole.Bot } reply
                            && (reply.Citations is { Count: > 0 } || reply.Usage is not null) && !unansweredMessageIds.Contains(m.Id))
                        {
                            row.QuestionsAnswered++;
                        }
                        break;
                    case MessageRole.Bot:
                        row.BotMessages++;
                        break;
                    case MessageRole.Agent:
                        row.AgentMessages++;
                        break;
                }
                foreach (var flag in m.Flags ?? [])
                {
                    row.GuardrailFlags[flag] = row.GuardrailFlags.GetValueOrDefault(flag) + 1;
                }
                if (m.Usage is { } usage)
                {
                    var key = (m.BotId, row.Day, usage.Provider, usage.Model);
                    if (!tokens.TryGetValue(key, out var totals))
                    {
                        tokens[key] = totals = new long[3];
                    }
                    totals[0]++;
                    totals[1] += usage.PromptTokens;
                    totals[2] += usage.CompletionTokens;
                }
                if (m.Role == MessageRole.Bot && m.Timings is { Count: > 0 } timings)
                {
                    if (!stageLatency.TryGetValue((m.BotId, row.Day), out var stages))
                    {
                        stageLatency[(m.BotId, row.Day)] = stages = new Dictionary<string, LogHistogram>(StringComparer.Ordinal);
                    }
                    foreach (var (stage, ms) in timings.Append(new(TotalStage, timings.Values.Sum())))
                    {
                        if (!stages.TryGetValue(stage, out var histogram))
                        {
                            stages[stage] = histogram = new LogHistogram();
                        }
                        histogram.Add(ms);
                    }
                }
            }
        }
        foreach (var ((bot, day), stages) in stageLatency)
        {
            rows[(bot, day)].StageLatency = stages.ToDictionary(s => s.Key, s => s.Value.Counts.ToDictionary(), StringComparer.Ordinal);
        }
        foreach (var ((bot, day, provider, model), totals) in tokens.OrderBy(t => t.Key.Provider, StringComparer.Ordinal).ThenBy(t => t.Key.Model, StringComparer.Ordinal))
        {
            rows[(bot, day)].Tokens.Add(new AnalyticsTokenTotals(provider, model, totals[0], totals[1], totals[2]));
        }

        await AddHandoffWaitsAsync(db, messages.Where(m => m.Role == MessageRole.Agent && InRange(m.CreatedAt))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (m.Id, m.ConversationId, m.BotId, m.CreatedAt)).ToList(), end, Row, cancellationToken);

        var bookings = await db.Bookings.AsNoTracking()
            .Where(b => b.CreatedAt >= start && b.CreatedAt < end && (botId == null || b.BotId == botId))
            .Select(b => new { b.BotId, b.CreatedAt })
            .ToListAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            Row(booking.BotId, booking.CreatedAt).BookingsMade++;
        }

        return [.. rows.Values.OrderBy(r => r.Day).ThenBy(r => r.BotId, StringComparer.Ordinal)];
    }

    /// <summary>The first UTC day with a conversation or a booking, or null when there is none.</summary>
    public static async Task<DateOnly?> FirstDayAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        // The oldest id is the oldest row (ids are time-ordered), found on the primary key; its time counts.
        var conversation = await db.Conversations.AsNoTracking().OrderBy(c => c.Id).Select(c => (DateTimeOffset?)c.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var booking = await db.Bookings.AsNoTracking().OrderBy(b => b.Id).Select(b => (DateTimeOffset?)b.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var first = new[] { conversation, booking }.Where(d => d is not null).Min();
        return first is { } at ? AnalyticsDays.Of(at) : null;
    }

    /// <summary>
    /// A handoff's wait ends at the first agent message after its request (and before the next request of the
    /// conversation); it is counted on that message's day, in seconds.
    /// </summary>
    private static async Task AddHandoffWaitsAsync(
        ParleyDbContext db, List<(string Id, string ConversationId, string BotId, DateTimeOffset CreatedAt)> agentMessages, DateTimeOffset end,
        Func<string, DateTimeOffset, AnalyticsDailyRollup> row, CancellationToken cancellationToken)
    {
        if (agentMessages.Count == 0)
        {
            return;
        }
        var conversationIds = agentMessages.Select(m => m.ConversationId).Distinct().ToList();
        var requests = (await db.Events.AsNoTracking()
                .Where(e => e.Type == EventTypes.HandoffRequested && e.CreatedAt < end && conversationIds.Contains(e.ConversationId!))
                .Select(e => new { e.Id, ConversationId = e.ConversationId!, e.CreatedAt })
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.ConversationId, StringComparer.Ordinal);
        var replies = (await db.Messages.AsNoTracking()
                .Where(m => m.Role == MessageRole.Agent && m.CreatedAt < end && conversationIds.Contains(m.ConversationId))
                .Select(m => new { m.Id, m.ConversationId, m.CreatedAt })
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.ConversationId, StringComparer.Ordinal);
        var histograms = new Dictionary<AnalyticsDailyRollup, LogHistogram>();
        foreach (var message in agentMessages)
        {
            var request = requests[message.ConversationId].Where(r => r.CreatedAt <= message.CreatedAt).MaxBy(r => r.CreatedAt);
            if (request is null)
            {
                continue;
            }
            var first = replies[message.ConversationId]
                .Where(r => r.CreatedAt >= request.CreatedAt)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)
                .First();
            if (first.Id != message.Id)
            {
                continue;
            }
            var target = row(message.BotId, message.CreatedAt);
            var seconds = (message.CreatedAt - request.CreatedAt).TotalSeconds;
            target.HandoffsAnswered++;
            target.HandoffWaitSecondsTotal += seconds;
            if (!histograms.TryGetValue(target, out var histogram))
            {
                histograms[target] = histogram = new LogHistogram();
            }
            histogram.Add(seconds);
        }
        foreach (var (target, histogram) in histograms)
        {
            target.HandoffWaitSeconds = histogram.Counts.ToDictionary();
        }
    }

    private static (string From, string To) IdRange(string prefix, DateTimeOffset start, DateTimeOffset end) =>
        (IdGenerator.LowestFor(prefix, start - IdMargin), IdGenerator.LowestFor(prefix, end + IdMargin));

    private static string? MessageIdOf(string dataJson)
    {
        using var document = JsonDocument.Parse(dataJson);
        return document.RootElement.TryGetProperty("message_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }
}

/// <summary>Analytics count in UTC days.</summary>
public static class AnalyticsDays
{
    public static DateOnly Of(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    public static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
