using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Analytics;

public static class AnalyticsEndpoints
{
    public const string Day = "day";
    public const string Week = "week";

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder api)
    {
        var analytics = api.MapGroup("/analytics").WithTags("Analytics");
        analytics.MapGet("/summary", GetSummary).RequireScope(Scopes.AnalyticsRead)
            .WithName("GetAnalyticsSummary").WithSummary("Analytics totals for a range of days")
            .WithDescription("Totals over the UTC days `from` … `to` (ISO dates, both included; by default the last 30 days up to today), for one bot (`bot_id`) or the whole workspace: "
                + "conversations, engagement, messages by role, questions answered and unanswered, handoffs and their wait, leads, bookings, guardrail flags, tokens by provider and model, "
                + "and per-stage turn latency. Rates are between 0 and 1 and null when their denominator is zero; percentiles come from histograms with log-spaced buckets "
                + "(within about 12 %). The current day is always included live. Ranges are at most 366 days. Definitions: docs/analytics.md.");
        analytics.MapGet("/timeseries", GetTimeseries).RequireScope(Scopes.AnalyticsRead)
            .WithName("GetAnalyticsTimeseries").WithSummary("One analytics metric per day or week")
            .WithDescription("One point per `interval` (`day`, or `week`: ISO weeks starting on Monday, UTC) from `from` to `to`, with no gaps: an interval without activity "
                + "has 0 for counts and null for rates and percentiles. `metric` is one of: " + string.Join(", ", AnalyticsMetrics.Names) + ". Same range rules as the summary.");
        analytics.MapGet("/latency", GetLatency).RequireScope(Scopes.AnalyticsRead)
            .WithName("GetAnalyticsLatency").WithSummary("Turn latency per stage, p50 and p95, per day or week")
            .WithDescription("For each `interval` (`day` or `week`) from `from` to `to`, the count, median and 95th percentile in milliseconds of each turn stage "
                + "(capture, authenticate, route, generate, side_effects, return) and of the whole turn (`total`), every stage in every point; "
                + "an interval without replies has count 0 and null percentiles. `overall` covers the whole range and `slowest_stage` names the stage "
                + "with the highest p95 over it (null without replies). Same range rules as the summary.");
        analytics.MapGet("/knowledge-gaps", GetKnowledgeGaps).RequireScope(Scopes.AnalyticsRead)
            .WithName("GetKnowledgeGaps").WithSummary("The most frequent unanswered questions, grouped by similarity")
            .WithDescription("The `question.unanswered` events of the range (at most the latest 10,000), grouped per bot by the similarity of their search terms: "
                + "each group with its most frequent wording, count, first and last time asked, other wordings and example conversations, largest first. "
                + "A group counts as answered once a knowledge source of its bot whose title asks the same thing is added after the group was last asked; "
                + "answered groups are left out unless `include_answered` is true. `limit` (1-100, default 20) caps the groups returned. Same range rules as the summary.");
        return api;
    }

    public static async Task<Ok<AnalyticsSummaryResponse>> GetSummary(
        ParleyDbContext db, WorkspaceScope workspace, AnalyticsReader reader, TimeProvider time, IOptions<AnalyticsOptions> options,
        [FromQuery(Name = "bot_id")] string? botId, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var range = ParseRange(from, to, time, options.Value.MaxRangeDays, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        await RequireBotAsync(db, botId, cancellationToken);
        var rows = await reader.RowsAsync(db, workspace.WorkspaceId!, range.From, range.To, botId, cancellationToken);
        var total = new AnalyticsAggregate();
        rows.ForEach(total.Add);
        return TypedResults.Ok(new AnalyticsSummaryResponse(
            botId, range.From, range.To, range.To.DayNumber - range.From.DayNumber + 1,
            total.Counts, total.Rates, total.HandoffWait, total.Latency, total.Flags, total.Tokens,
            await AnalyticsReader.RolledUpThroughAsync(db, cancellationToken)));
    }

    public static async Task<Ok<AnalyticsTimeseriesResponse>> GetTimeseries(
        ParleyDbContext db, WorkspaceScope workspace, AnalyticsReader reader, TimeProvider time, IOptions<AnalyticsOptions> options,
        string? metric, string? interval, [FromQuery(Name = "bot_id")] string? botId, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(metric))
        {
            errors["metric"] = [$"metric is required: one of {string.Join(", ", AnalyticsMetrics.Names)}."];
        }
        else if (!AnalyticsMetrics.All.ContainsKey(metric))
        {
            errors["metric"] = [$"Unknown metric '{metric}'; use one of {string.Join(", ", AnalyticsMetrics.Names)}."];
        }
        interval = ParseInterval(interval, errors);
        var range = ParseRange(from, to, time, options.Value.MaxRangeDays, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        await RequireBotAsync(db, botId, cancellationToken);
        var rows = await reader.RowsAsync(db, workspace.WorkspaceId!, range.From, range.To, botId, cancellationToken);
        var value = AnalyticsMetrics.All[metric!];
        var points = Intervals(rows, range.From, range.To, interval).Select(i => new AnalyticsPoint(i.Date, value(i.Aggregate))).ToList();
        return TypedResults.Ok(new AnalyticsTimeseriesResponse(metric!, interval, botId, range.From, range.To, points));
    }

    public static async Task<Ok<AnalyticsLatencyResponse>> GetLatency(
        ParleyDbContext db, WorkspaceScope workspace, AnalyticsReader reader, TimeProvider time, IOptions<AnalyticsOptions> options,
        string? interval, [FromQuery(Name = "bot_id")] string? botId, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        interval = ParseInterval(interval, errors);
        var range = ParseRange(from, to, time, options.Value.MaxRangeDays, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        await RequireBotAsync(db, botId, cancellationToken);
        var rows = await reader.RowsAsync(db, workspace.WorkspaceId!, range.From, range.To, botId, cancellationToken);
        return TypedResults.Ok(AnalyticsLatency.Of(botId, range.From, range.To, interval, rows));
    }

    public static async Task<Ok<KnowledgeGapsResponse>> GetKnowledgeGaps(
        ParleyDbContext db, TimeProvider time, IOptions<AnalyticsOptions> options, KnowledgeGapFinder finder,
        [FromQuery(Name = "bot_id")] string? botId, string? from, string? to, int? limit, [FromQuery(Name = "include_answered")] bool? includeAnswered,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > KnowledgeGapFinder.MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {KnowledgeGapFinder.MaxLimit}."];
        }
        var range = ParseRange(from, to, time, options.Value.MaxRangeDays, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        await RequireBotAsync(db, botId, cancellationToken);
        return TypedResults.Ok(await finder.FindAsync(
            db, botId, range.From, range.To, limit ?? KnowledgeGapFinder.DefaultLimit, includeAnswered ?? false, cancellationToken));
    }

    /// <summary>The days <paramref name="from"/> … <paramref name="to"/> cut into intervals, each with its first day (a Monday for weeks) and its rows added up.</summary>
    internal static IEnumerable<(DateOnly Date, AnalyticsAggregate Aggregate)> Intervals(
        List<AnalyticsDailyRollup> rows, DateOnly from, DateOnly to, string interval)
    {
        var byDay = rows.ToLookup(r => r.Day);
        var start = from;
        while (start <= to)
        {
            var next = interval == Week ? WeekStart(start).AddDays(7) : start.AddDays(1);
            var aggregate = new AnalyticsAggregate();
            for (var day = start; day < next && day <= to; day = day.AddDays(1))
            {
                foreach (var row in byDay[day])
                {
                    aggregate.Add(row);
                }
            }
            yield return (interval == Week ? WeekStart(start) : start, aggregate);
            start = next;
        }
    }

    /// <summary>The Monday on or before <paramref name="day"/>.</summary>
    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary><paramref name="interval"/>, <see cref="Day"/> when absent; an error when it is neither a day nor a week.</summary>
    private static string ParseInterval(string? interval, Dictionary<string, string[]> errors)
    {
        interval ??= Day;
        if (interval is not (Day or Week))
        {
            errors["interval"] = [$"interval must be '{Day}' or '{Week}'."];
        }
        return interval;
    }

    private static (DateOnly From, DateOnly To) ParseRange(string? from, string? to, TimeProvider time, int maxDays, Dictionary<string, string[]> errors)
    {
        var today = AnalyticsDays.Of(time.GetUtcNow());
        var toDay = ParseDay("to", to, errors) ?? today;
        var fromDay = ParseDay("from", from, errors) ?? toDay.AddDays(-29);
        if (errors.Count == 0)
        {
            if (fromDay > toDay)
            {
                errors["from"] = [$"from ({fromDay:yyyy-MM-dd}) is after to ({toDay:yyyy-MM-dd})."];
            }
            else if (toDay.DayNumber - fromDay.DayNumber + 1 > maxDays)
            {
                errors["to"] = [$"The range is {toDay.DayNumber - fromDay.DayNumber + 1} days; at most {maxDays} are allowed."];
            }
        }
        return (fromDay, toDay);
    }

    private static DateOnly? ParseDay(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        errors[field] = [$"{field} must be an ISO date (YYYY-MM-DD, a UTC day), not '{value}'."];
        return null;
    }

    private static async Task RequireBotAsync(ParleyDbContext db, string? botId, CancellationToken cancellationToken)
    {
        if (botId is not null && !await db.Bots.IgnoreQueryFilters([QueryFilters.NotDeleted]).AnyAsync(b => b.Id == botId, cancellationToken))
        {
            throw ApiException.NotFound("bot", botId);
        }
    }
}
