using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Parley.Data.Entities;
using Parley.Engine.Usage;

namespace Parley.Server.Features.Exports;

/// <summary>A line of <c>usage_counters.ndjson</c>: how much of one metric the workspace used in one month.</summary>
public sealed record UsageCounterRecord(
    [property: JsonRequired] string Period = "", [property: JsonRequired] string Metric = "", [property: JsonRequired] long Value = 0)
{
    /// <summary>Counters have no id of their own: <c>period/metric</c> orders them and resumes a streamed export.</summary>
    public string SortKey() => Period + "/" + Metric;

    public static UsageCounterRecord From(UsageCounter c) => new(c.Period, c.Metric, c.Value);

    /// <summary>Whether the record names a real month and metric; an import refuses the archive otherwise.</summary>
    public bool IsValid() => UsagePeriod.TryParse(Period, out _) && UsageMetrics.Counters.Contains(Metric) && Value >= 0;

    public static readonly ExportEntity Entity = new("usage_counters", typeof(UsageCounterRecord),
        async (db, filter, after, size, cancellationToken) =>
        {
            // At most a few rows a month: read them all and page in memory.
            var rows = await Query(db, filter).ToListAsync(cancellationToken);
            return [.. rows.Where(r => InRange(r.Period, filter)).Select(From)
                .Where(r => after is null || string.CompareOrdinal(r.SortKey(), after) > 0)
                .OrderBy(r => r.SortKey(), StringComparer.Ordinal).Take(size)
                .Select(r => new ExportRow(r.SortKey(), r))];
        },
        async (db, filter, cancellationToken) => (await Query(db, filter).Select(c => c.Period).ToListAsync(cancellationToken)).Count(p => InRange(p, filter)));

    private static IQueryable<UsageCounter> Query(Parley.Data.ParleyDbContext db, ExportFilter filter) =>
        filter.ByBot ? db.UsageCounters.AsNoTracking().Where(_ => false) : db.UsageCounters.AsNoTracking();

    private static bool InRange(string period, ExportFilter filter) =>
        UsagePeriod.TryParse(period, out var month)
        && (filter.Since is not { } since || month.End > since)
        && (filter.Until is not { } until || month.Start < until);
}
